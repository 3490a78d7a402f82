-- What a local member sets beside the public actor: the plain-text sources of the note and the
-- profile fields (accounts holds their HTML), posting defaults, profile images and flags.
CREATE TABLE user_settings (
    account_id INTEGER PRIMARY KEY NOT NULL REFERENCES users (account_id) ON DELETE CASCADE,
    note_source TEXT NOT NULL DEFAULT '',
    fields_source TEXT NOT NULL DEFAULT '[]',
    default_privacy TEXT NOT NULL DEFAULT 'public' CHECK (default_privacy IN ('public', 'unlisted', 'private', 'direct')),
    default_sensitive BOOLEAN NOT NULL DEFAULT 0,
    default_language TEXT,
    indexable BOOLEAN NOT NULL DEFAULT 0,
    hide_collections BOOLEAN NOT NULL DEFAULT 0,
    avatar_file TEXT,
    header_file TEXT,
    updated_at TIMESTAMP NOT NULL
);
