-- Communities that federate: mentions, hashtags, bans, soft deletion, remote sync.

ALTER TABLE statuses ADD COLUMN deleted_at TIMESTAMP;
-- Removed by a community moderator (not the author).
ALTER TABLE statuses ADD COLUMN removed BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX statuses_public_timeline ON statuses (visibility, local, id);

CREATE TABLE mentions (
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    PRIMARY KEY (status_id, actor_id)
);
CREATE INDEX mentions_actor ON mentions (actor_id);

CREATE TABLE tags (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE status_tags (
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (status_id, tag_id)
);
CREATE INDEX status_tags_tag ON status_tags (tag_id, status_id);

-- People banned from a community: their later posts there are rejected.
CREATE TABLE community_bans (
    community_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (community_id, actor_id)
);
