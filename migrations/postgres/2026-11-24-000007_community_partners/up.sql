-- Servers a community's owner opened it to, beyond the instance's partner list
-- (for `partners` communities): a pattern as in the federation lists.
CREATE TABLE community_partner_domains (
    community_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    pattern TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (community_id, pattern)
);
