-- Reports of accounts and statuses, for this instance's moderators (and the
-- community's, when the statuses are in one). `local`: made here; otherwise
-- received from another server as a Flag. `ap_id`: that Flag, sent or received.
CREATE TABLE reports (
    id BIGINT PRIMARY KEY,
    reporter_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    community_id BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    status_ids TEXT NOT NULL DEFAULT '[]',
    comment TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT 'other',
    rule_ids TEXT NOT NULL DEFAULT '[]',
    forwarded BOOLEAN NOT NULL DEFAULT FALSE,
    ap_id TEXT UNIQUE,
    local BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    resolved_by BIGINT REFERENCES actors (id) ON DELETE SET NULL
);
CREATE INDEX reports_by_id ON reports (resolved_at, id);
CREATE INDEX reports_community ON reports (community_id, id);
