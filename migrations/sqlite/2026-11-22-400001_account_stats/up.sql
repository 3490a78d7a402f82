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

CREATE TRIGGER account_stats_status_insert AFTER INSERT ON statuses
BEGIN
    INSERT INTO account_stats (account_id, statuses_count, last_status_at)
    VALUES (NEW.account_id, 1, NEW.created_at)
    ON CONFLICT (account_id) DO UPDATE SET
        statuses_count = statuses_count + 1,
        last_status_at = max(coalesce(last_status_at, excluded.last_status_at), excluded.last_status_at);
END;

CREATE TRIGGER account_stats_status_delete AFTER DELETE ON statuses
BEGIN
    UPDATE account_stats SET statuses_count = max(statuses_count - 1, 0)
    WHERE account_id = OLD.account_id;
END;

CREATE TRIGGER account_stats_follow_insert AFTER INSERT ON follows
WHEN NEW.state = 'accepted'
BEGIN
    INSERT INTO account_stats (account_id, following_count) VALUES (NEW.account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET following_count = following_count + 1;
    INSERT INTO account_stats (account_id, followers_count) VALUES (NEW.target_account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET followers_count = followers_count + 1;
END;

CREATE TRIGGER account_stats_follow_accepted AFTER UPDATE OF state ON follows
WHEN OLD.state <> 'accepted' AND NEW.state = 'accepted'
BEGIN
    INSERT INTO account_stats (account_id, following_count) VALUES (NEW.account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET following_count = following_count + 1;
    INSERT INTO account_stats (account_id, followers_count) VALUES (NEW.target_account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET followers_count = followers_count + 1;
END;

CREATE TRIGGER account_stats_follow_unaccepted AFTER UPDATE OF state ON follows
WHEN OLD.state = 'accepted' AND NEW.state <> 'accepted'
BEGIN
    UPDATE account_stats SET following_count = max(following_count - 1, 0)
    WHERE account_id = OLD.account_id;
    UPDATE account_stats SET followers_count = max(followers_count - 1, 0)
    WHERE account_id = OLD.target_account_id;
END;

CREATE TRIGGER account_stats_follow_delete AFTER DELETE ON follows
WHEN OLD.state = 'accepted'
BEGIN
    UPDATE account_stats SET following_count = max(following_count - 1, 0)
    WHERE account_id = OLD.account_id;
    UPDATE account_stats SET followers_count = max(followers_count - 1, 0)
    WHERE account_id = OLD.target_account_id;
END;
