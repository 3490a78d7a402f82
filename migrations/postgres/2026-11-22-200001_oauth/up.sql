-- Client applications registered through POST /api/v1/apps. The secret is kept only as a SHA-256
-- hash; redirect_uris holds one URI per line.
CREATE TABLE oauth_applications (
    id BIGINT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    website TEXT,
    redirect_uris TEXT NOT NULL,
    scopes TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX oauth_applications_client_id ON oauth_applications (client_id);

-- Authorization codes: hashed, short-lived, deleted when exchanged.
CREATE TABLE oauth_authorization_codes (
    code_hash TEXT PRIMARY KEY NOT NULL,
    application_id BIGINT NOT NULL REFERENCES oauth_applications (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    code_challenge TEXT,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX oauth_authorization_codes_expiry ON oauth_authorization_codes (expires_at);

-- Access tokens, hashed. account_id is empty for client_credentials tokens. They do not expire
-- (as on Mastodon); revoking deletes the row.
CREATE TABLE oauth_access_tokens (
    id BIGINT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL,
    application_id BIGINT NOT NULL REFERENCES oauth_applications (id) ON DELETE CASCADE,
    account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    scopes TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX oauth_access_tokens_hash ON oauth_access_tokens (token_hash);
CREATE INDEX oauth_access_tokens_account ON oauth_access_tokens (account_id);

-- Random keys the instance makes for itself once (the CSRF signing key, ...), shared by every
-- process on the same database.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
