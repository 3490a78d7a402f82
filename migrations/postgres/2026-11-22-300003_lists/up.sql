-- A member's lists of accounts they follow, each with its own timeline.
-- replies_policy: followed, list or none (Mastodon's); exclusive lists keep their members' posts
-- out of the home timeline.
CREATE TABLE lists (
    id BIGINT PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    replies_policy TEXT NOT NULL DEFAULT 'list' CHECK (replies_policy IN ('followed', 'list', 'none')),
    exclusive BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX lists_account ON lists (account_id, id);

-- The members of each list; id orders (and pages) them by when they were added.
CREATE TABLE list_accounts (
    id BIGINT PRIMARY KEY NOT NULL,
    list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX list_accounts_pair ON list_accounts (list_id, account_id);
CREATE INDEX list_accounts_account ON list_accounts (account_id);
