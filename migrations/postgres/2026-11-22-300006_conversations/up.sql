-- A member's marks on their direct-message threads (conversations are computed from the direct
-- statuses they wrote or are mentioned in; conversation_id is the id of the thread's first
-- status we know). read_status_id: the newest status they have read; hidden_status_id: the
-- newest status when they removed the conversation (a newer message brings it back).
CREATE TABLE conversation_marks (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    conversation_id BIGINT NOT NULL,
    read_status_id BIGINT,
    hidden_status_id BIGINT,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, conversation_id)
);
