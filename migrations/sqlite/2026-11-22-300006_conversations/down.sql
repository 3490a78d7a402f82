DROP TABLE conversation_marks;
