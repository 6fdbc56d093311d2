-- Direct conversations, one row per local participant: a thread of direct
-- statuses (by its first status), its newest status, and whether the
-- participant has read it. Removing a row hides the conversation until the next
-- message.
CREATE TABLE conversations (
    id BIGINT PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    root_status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    last_status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    unread BOOLEAN NOT NULL,
    UNIQUE (actor_id, root_status_id)
);
CREATE INDEX conversations_by_last ON conversations (actor_id, last_status_id);
