DROP INDEX accounts_public_key_id;
ALTER TABLE accounts DROP COLUMN public_key_id;
