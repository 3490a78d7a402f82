DROP TABLE endorsements;
