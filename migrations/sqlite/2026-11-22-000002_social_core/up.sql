-- Posts (local and remote), boosts (rows whose reblog_of_id is set), and what hangs off them.
CREATE TABLE statuses (
    id INTEGER PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    ap_id TEXT NOT NULL,
    url TEXT,
    local BOOLEAN NOT NULL,
    object_type TEXT NOT NULL DEFAULT 'Note',
    in_reply_to_id BIGINT REFERENCES statuses (id) ON DELETE SET NULL,
    in_reply_to_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    in_reply_to_ap_id TEXT,
    reblog_of_id BIGINT REFERENCES statuses (id) ON DELETE CASCADE,
    thread_ap_id TEXT,
    title TEXT,
    content TEXT NOT NULL DEFAULT '',
    source_text TEXT,
    spoiler_text TEXT NOT NULL DEFAULT '',
    sensitive BOOLEAN NOT NULL DEFAULT 0,
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'unlisted', 'private', 'direct')),
    language TEXT,
    replies_count INTEGER NOT NULL DEFAULT 0,
    reblogs_count INTEGER NOT NULL DEFAULT 0,
    favourites_count INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    edited_at TIMESTAMP
);
CREATE UNIQUE INDEX statuses_ap_id ON statuses (ap_id);
CREATE INDEX statuses_account ON statuses (account_id, id);
CREATE INDEX statuses_in_reply_to ON statuses (in_reply_to_id);
CREATE INDEX statuses_in_reply_to_ap_id ON statuses (in_reply_to_ap_id);
CREATE INDEX statuses_reblog_of ON statuses (reblog_of_id);
CREATE INDEX statuses_public ON statuses (id) WHERE visibility = 'public' AND reblog_of_id IS NULL;
CREATE INDEX statuses_public_local ON statuses (id) WHERE visibility = 'public' AND reblog_of_id IS NULL AND local;

-- Earlier versions of edited posts, oldest first.
CREATE TABLE status_edits (
    id INTEGER PRIMARY KEY NOT NULL,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    spoiler_text TEXT NOT NULL,
    sensitive BOOLEAN NOT NULL,
    media_ids TEXT NOT NULL DEFAULT '[]',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX status_edits_status ON status_edits (status_id, id);

CREATE TABLE mentions (
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (status_id, account_id)
);
CREATE INDEX mentions_account ON mentions (account_id, status_id);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX tags_name ON tags (lower(name));

CREATE TABLE statuses_tags (
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (tag_id, status_id)
);
CREATE INDEX statuses_tags_status ON statuses_tags (status_id);

-- Follows; state 'pending' is a follow request awaiting the target's decision.
CREATE TABLE follows (
    id INTEGER PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    ap_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'accepted')),
    show_reblogs BOOLEAN NOT NULL DEFAULT 1,
    notify BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX follows_pair ON follows (account_id, target_account_id);
CREATE INDEX follows_target ON follows (target_account_id, state, account_id);
CREATE INDEX follows_ap_id ON follows (ap_id);

CREATE TABLE favourites (
    id INTEGER PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    ap_id TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX favourites_pair ON favourites (account_id, status_id);
CREATE INDEX favourites_status ON favourites (status_id, id);
CREATE INDEX favourites_ap_id ON favourites (ap_id);

CREATE TABLE bookmarks (
    id INTEGER PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX bookmarks_pair ON bookmarks (account_id, status_id);

CREATE TABLE status_pins (
    id INTEGER PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX status_pins_pair ON status_pins (account_id, status_id);

CREATE TABLE blocks (
    id INTEGER PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    ap_id TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX blocks_pair ON blocks (account_id, target_account_id);
CREATE INDEX blocks_target ON blocks (target_account_id);

CREATE TABLE mutes (
    id INTEGER PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    notifications BOOLEAN NOT NULL DEFAULT 1,
    expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX mutes_pair ON mutes (account_id, target_account_id);

-- What a local member is told about; kind is Mastodon's notification type.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    from_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    status_id BIGINT REFERENCES statuses (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX notifications_account ON notifications (account_id, id);

-- Each local member's home timeline, filled when a post arrives (fan-out on write).
-- author_id is the followed account whose post or boost put the entry there.
CREATE TABLE home_feed (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, status_id)
);
CREATE INDEX home_feed_author ON home_feed (account_id, author_id);
CREATE INDEX home_feed_status ON home_feed (status_id);

-- ids of deleted objects, so a Create that arrives after its Delete is not stored.
CREATE TABLE tombstones (
    ap_id TEXT PRIMARY KEY NOT NULL,
    deleted_at TIMESTAMP NOT NULL
);
