-- Durable inbound work: the inbox stores a verified activity here and answers
-- 202; workers apply it (fetching what it needs) with retries, in arrival order
-- per object, and survive restarts (work is leased, as for deliveries).
CREATE TABLE inbound_jobs (
    id BIGINT PRIMARY KEY,
    activity_ap_id TEXT NOT NULL UNIQUE,
    object_key TEXT,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX inbound_jobs_due ON inbound_jobs (state, next_attempt_at);
CREATE INDEX inbound_jobs_causal ON inbound_jobs (object_key, id);

-- An event raised while applying an inbound job (a community's Announce of what
-- a member sent) carries a key, so applying the job again after a crash does
-- not announce twice.
ALTER TABLE outbox_events ADD COLUMN dedupe_key TEXT;
CREATE UNIQUE INDEX outbox_events_dedupe ON outbox_events (dedupe_key);
