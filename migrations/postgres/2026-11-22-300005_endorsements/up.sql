-- Accounts a member features on their profile (Mastodon's "endorsements", POST /accounts/:id/pin).
CREATE TABLE endorsements (
    id BIGINT PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX endorsements_pair ON endorsements (account_id, target_account_id);
