-- Which client application posted a local status (the Status entity's `application`).
CREATE TABLE status_applications (
    status_id BIGINT PRIMARY KEY NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    application_id BIGINT NOT NULL REFERENCES oauth_applications (id) ON DELETE CASCADE
);
CREATE INDEX status_applications_application ON status_applications (application_id);

-- Idempotency-Key headers of POST /api/v1/statuses: the same key from the same member within an
-- hour answers the status it created the first time. Older keys are removed as new ones arrive.
CREATE TABLE idempotency_keys (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (account_id, created_at);
