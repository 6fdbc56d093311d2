-- What an account shows (statuses, followers, following, last status), kept up
-- to date by triggers so every writer (client API, inbox, seed) agrees and
-- readers pay one indexed lookup instead of counting.
CREATE TABLE actor_stats (
    actor_id BIGINT PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
    statuses BIGINT NOT NULL DEFAULT 0,
    followers BIGINT NOT NULL DEFAULT 0,
    following BIGINT NOT NULL DEFAULT 0,
    last_status_at TIMESTAMP
);

INSERT INTO actor_stats (actor_id, statuses, last_status_at)
    SELECT actor_id, count(*), max(created_at) FROM statuses
    WHERE deleted_at IS NULL GROUP BY actor_id;
INSERT INTO actor_stats (actor_id) SELECT id FROM actors WHERE true
    ON CONFLICT (actor_id) DO NOTHING;
UPDATE actor_stats SET
    followers = (SELECT count(*) FROM follows WHERE target_id = actor_id AND state = 'accepted'),
    following = (SELECT count(*) FROM follows WHERE follower_id = actor_id AND state = 'accepted');

CREATE TRIGGER actor_stats_status_added AFTER INSERT ON statuses
WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO actor_stats (actor_id, statuses, last_status_at) VALUES (NEW.actor_id, 1, NEW.created_at)
    ON CONFLICT (actor_id) DO UPDATE SET statuses = statuses + 1,
        last_status_at = max(coalesce(last_status_at, excluded.last_status_at), excluded.last_status_at);
END;
CREATE TRIGGER actor_stats_status_deleted AFTER UPDATE OF deleted_at ON statuses
WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL BEGIN
    UPDATE actor_stats SET statuses = statuses - 1 WHERE actor_id = OLD.actor_id;
END;
CREATE TRIGGER actor_stats_status_restored AFTER UPDATE OF deleted_at ON statuses
WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL BEGIN
    UPDATE actor_stats SET statuses = statuses + 1 WHERE actor_id = NEW.actor_id;
END;
CREATE TRIGGER actor_stats_status_removed AFTER DELETE ON statuses
WHEN OLD.deleted_at IS NULL BEGIN
    UPDATE actor_stats SET statuses = statuses - 1 WHERE actor_id = OLD.actor_id;
END;

CREATE TRIGGER actor_stats_follow_added AFTER INSERT ON follows
WHEN NEW.state = 'accepted' BEGIN
    INSERT INTO actor_stats (actor_id, followers) VALUES (NEW.target_id, 1)
    ON CONFLICT (actor_id) DO UPDATE SET followers = followers + 1;
    INSERT INTO actor_stats (actor_id, following) VALUES (NEW.follower_id, 1)
    ON CONFLICT (actor_id) DO UPDATE SET following = following + 1;
END;
CREATE TRIGGER actor_stats_follow_accepted AFTER UPDATE OF state ON follows
WHEN OLD.state <> 'accepted' AND NEW.state = 'accepted' BEGIN
    INSERT INTO actor_stats (actor_id, followers) VALUES (NEW.target_id, 1)
    ON CONFLICT (actor_id) DO UPDATE SET followers = followers + 1;
    INSERT INTO actor_stats (actor_id, following) VALUES (NEW.follower_id, 1)
    ON CONFLICT (actor_id) DO UPDATE SET following = following + 1;
END;
CREATE TRIGGER actor_stats_follow_withdrawn AFTER UPDATE OF state ON follows
WHEN OLD.state = 'accepted' AND NEW.state <> 'accepted' BEGIN
    UPDATE actor_stats SET followers = followers - 1 WHERE actor_id = OLD.target_id;
    UPDATE actor_stats SET following = following - 1 WHERE actor_id = OLD.follower_id;
END;
CREATE TRIGGER actor_stats_follow_removed AFTER DELETE ON follows
WHEN OLD.state = 'accepted' BEGIN
    UPDATE actor_stats SET followers = followers - 1 WHERE actor_id = OLD.target_id;
    UPDATE actor_stats SET following = following - 1 WHERE actor_id = OLD.follower_id;
END;
