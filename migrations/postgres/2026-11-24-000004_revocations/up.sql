-- Partner servers revoked from a community: nothing more is delivered to them and
-- their people cannot join again.
CREATE TABLE community_blocked_domains (
    community_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (community_id, domain)
);
