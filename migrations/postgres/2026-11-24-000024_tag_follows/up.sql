-- Hashtags a person follows: public statuses with them join their home timeline.
CREATE TABLE tag_follows (
    id BIGINT PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (actor_id, tag_id)
);
