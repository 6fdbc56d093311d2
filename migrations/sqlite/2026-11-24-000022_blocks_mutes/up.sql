-- A person blocks another (either side may be remote: a remote Block of a local
-- person is kept too, so that the relationship shows blocked_by). Blocks cut
-- follows both ways and hide each from the other.
CREATE TABLE blocks (
    id BIGINT PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    ap_id TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (actor_id, target_id)
);
CREATE INDEX blocks_target ON blocks (target_id, actor_id);

-- A local person mutes another: private, never federated; may expire.
CREATE TABLE mutes (
    id BIGINT PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    notifications BOOLEAN NOT NULL,
    expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (actor_id, target_id)
);
CREATE INDEX mutes_target ON mutes (target_id);
