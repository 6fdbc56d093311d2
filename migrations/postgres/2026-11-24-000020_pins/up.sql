-- Statuses a person pinned to their profile (at most 5, checked by the service).
CREATE TABLE pins (
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (actor_id, status_id)
);
