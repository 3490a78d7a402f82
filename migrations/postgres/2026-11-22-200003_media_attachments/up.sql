-- Uploaded media. status_id stays empty until the file is attached to a post; file names are ours,
-- relative to <data_dir>/media/. state: processing, ready or failed.
CREATE TABLE media_attachments (
    id BIGINT PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id BIGINT REFERENCES statuses (id) ON DELETE SET NULL,
    kind TEXT NOT NULL DEFAULT 'image',
    state TEXT NOT NULL CHECK (state IN ('processing', 'ready', 'failed')),
    file_name TEXT,
    content_type TEXT,
    file_size BIGINT,
    width INTEGER,
    height INTEGER,
    thumbnail_file_name TEXT,
    thumbnail_width INTEGER,
    thumbnail_height INTEGER,
    description TEXT,
    focus_x DOUBLE PRECISION,
    focus_y DOUBLE PRECISION,
    blurhash TEXT,
    remote_url TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX media_attachments_account ON media_attachments (account_id, id);
CREATE INDEX media_attachments_status ON media_attachments (status_id);
