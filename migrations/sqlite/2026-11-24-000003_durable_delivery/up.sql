-- Durable federation: events waiting to become activities, activities serialised
-- once with their stable id, and one delivery per activity and destination inbox.

CREATE TABLE outbox_events (
    id BIGINT PRIMARY KEY,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    done_at TIMESTAMP
);
CREATE INDEX outbox_events_due ON outbox_events (done_at, next_attempt_at);

CREATE TABLE outbox_activities (
    id BIGINT PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    object_ap_id TEXT,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE deliveries (
    id BIGINT PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES outbox_activities (id) ON DELETE CASCADE,
    inbox TEXT NOT NULL,
    domain TEXT NOT NULL,
    object_ap_id TEXT,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    last_status INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
CREATE INDEX deliveries_causal ON deliveries (inbox, object_ap_id, id);
CREATE INDEX deliveries_domain ON deliveries (domain, state);

-- What we know of each remote server's availability.
CREATE TABLE destinations (
    domain TEXT PRIMARY KEY,
    failing_since TIMESTAMP,
    unreachable BOOLEAN NOT NULL DEFAULT FALSE,
    last_success_at TIMESTAMP
);
