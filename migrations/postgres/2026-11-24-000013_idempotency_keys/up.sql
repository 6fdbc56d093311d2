-- A client's Idempotency-Key for a status it posted: a retried request gets the
-- same status back instead of a duplicate (keys count for an hour).
CREATE TABLE idempotency_keys (
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (actor_id, key)
);
