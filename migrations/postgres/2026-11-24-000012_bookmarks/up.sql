-- Statuses a person keeps for later; private to them, never federated.
CREATE TABLE bookmarks (
    id BIGINT PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (actor_id, status_id)
);
-- A person's favourites, newest first, for their list.
CREATE INDEX favourites_actor ON favourites (actor_id, id);
