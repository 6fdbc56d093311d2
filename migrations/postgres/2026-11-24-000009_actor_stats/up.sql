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
INSERT INTO actor_stats (actor_id) SELECT id FROM actors
    ON CONFLICT (actor_id) DO NOTHING;
UPDATE actor_stats SET
    followers = (SELECT count(*) FROM follows WHERE target_id = actor_id AND state = 'accepted'),
    following = (SELECT count(*) FROM follows WHERE follower_id = actor_id AND state = 'accepted');

CREATE FUNCTION actor_stats_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL
       AND (TG_OP = 'INSERT' OR OLD.deleted_at IS NOT NULL) THEN
        INSERT INTO actor_stats AS s (actor_id, statuses, last_status_at)
            VALUES (NEW.actor_id, 1, NEW.created_at)
        ON CONFLICT (actor_id) DO UPDATE SET statuses = s.statuses + 1,
            last_status_at = GREATEST(s.last_status_at, EXCLUDED.last_status_at);
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL
       AND (TG_OP = 'DELETE' OR NEW.deleted_at IS NOT NULL) THEN
        UPDATE actor_stats SET statuses = statuses - 1 WHERE actor_id = OLD.actor_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER actor_stats_statuses AFTER INSERT OR DELETE OR UPDATE OF deleted_at ON statuses
    FOR EACH ROW EXECUTE FUNCTION actor_stats_statuses();

CREATE FUNCTION actor_stats_follows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' AND NEW.state = 'accepted'
       AND (TG_OP = 'INSERT' OR OLD.state <> 'accepted') THEN
        INSERT INTO actor_stats AS s (actor_id, followers) VALUES (NEW.target_id, 1)
        ON CONFLICT (actor_id) DO UPDATE SET followers = s.followers + 1;
        INSERT INTO actor_stats AS s (actor_id, following) VALUES (NEW.follower_id, 1)
        ON CONFLICT (actor_id) DO UPDATE SET following = s.following + 1;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.state = 'accepted'
       AND (TG_OP = 'DELETE' OR NEW.state <> 'accepted') THEN
        UPDATE actor_stats SET followers = followers - 1 WHERE actor_id = OLD.target_id;
        UPDATE actor_stats SET following = following - 1 WHERE actor_id = OLD.follower_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER actor_stats_follows AFTER INSERT OR DELETE OR UPDATE OF state ON follows
    FOR EACH ROW EXECUTE FUNCTION actor_stats_follows();
