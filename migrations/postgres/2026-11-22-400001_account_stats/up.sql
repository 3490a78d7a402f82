-- The counts an Account entity shows, kept by triggers as rows change (as Mastodon keeps
-- account_stats), so rendering a page of statuses reads one row per author instead of counting
-- each author's posts. Accounts without a row count zero.
CREATE TABLE account_stats (
    account_id BIGINT PRIMARY KEY NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    statuses_count BIGINT NOT NULL DEFAULT 0,
    following_count BIGINT NOT NULL DEFAULT 0,
    followers_count BIGINT NOT NULL DEFAULT 0,
    last_status_at TIMESTAMP
);

INSERT INTO account_stats (account_id, statuses_count, following_count, followers_count, last_status_at)
SELECT a.id,
       (SELECT count(*) FROM statuses s WHERE s.account_id = a.id),
       (SELECT count(*) FROM follows f WHERE f.account_id = a.id AND f.state = 'accepted'),
       (SELECT count(*) FROM follows f WHERE f.target_account_id = a.id AND f.state = 'accepted'),
       (SELECT max(s.created_at) FROM statuses s WHERE s.account_id = a.id)
FROM accounts a;

CREATE FUNCTION account_stats_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO account_stats AS s (account_id, statuses_count, last_status_at)
        VALUES (NEW.account_id, 1, NEW.created_at)
        ON CONFLICT (account_id) DO UPDATE SET
            statuses_count = s.statuses_count + 1,
            last_status_at = GREATEST(s.last_status_at, EXCLUDED.last_status_at);
    ELSE
        UPDATE account_stats SET statuses_count = GREATEST(statuses_count - 1, 0)
        WHERE account_id = OLD.account_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER account_stats_statuses AFTER INSERT OR DELETE ON statuses
FOR EACH ROW EXECUTE FUNCTION account_stats_statuses();

-- Both rows of a follow change together; the lower account id is locked first, so two members
-- following each other at the same moment cannot deadlock.
CREATE FUNCTION account_stats_follows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta BIGINT := 0;
    follower BIGINT;
    followed BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state = 'accepted' THEN delta := 1; END IF;
        follower := NEW.account_id;
        followed := NEW.target_account_id;
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.state = 'accepted' THEN delta := -1; END IF;
        follower := OLD.account_id;
        followed := OLD.target_account_id;
    ELSE
        IF OLD.state <> 'accepted' AND NEW.state = 'accepted' THEN delta := 1;
        ELSIF OLD.state = 'accepted' AND NEW.state <> 'accepted' THEN delta := -1;
        END IF;
        follower := NEW.account_id;
        followed := NEW.target_account_id;
    END IF;
    IF delta = 0 THEN
        RETURN NULL;
    END IF;
    -- Only a new follow creates rows: a follow removed with its account must not re-create one.
    IF delta = 1 THEN
        INSERT INTO account_stats (account_id)
        VALUES (LEAST(follower, followed)), (GREATEST(follower, followed))
        ON CONFLICT (account_id) DO NOTHING;
    END IF;
    PERFORM 1 FROM account_stats WHERE account_id IN (follower, followed) ORDER BY account_id FOR UPDATE;
    UPDATE account_stats SET following_count = GREATEST(following_count + delta, 0)
    WHERE account_id = follower;
    UPDATE account_stats SET followers_count = GREATEST(followers_count + delta, 0)
    WHERE account_id = followed;
    RETURN NULL;
END
$$;

CREATE TRIGGER account_stats_follows AFTER INSERT OR UPDATE OF state OR DELETE ON follows
FOR EACH ROW EXECUTE FUNCTION account_stats_follows();
