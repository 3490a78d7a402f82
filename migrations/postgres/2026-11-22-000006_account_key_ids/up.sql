-- The id of the key an actor signs with (Mastodon: actor#main-key), to find it without a fetch.
ALTER TABLE accounts ADD COLUMN public_key_id TEXT;
CREATE INDEX accounts_public_key_id ON accounts (public_key_id);
