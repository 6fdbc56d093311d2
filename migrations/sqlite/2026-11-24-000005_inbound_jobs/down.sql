DROP INDEX outbox_events_dedupe;
ALTER TABLE outbox_events DROP COLUMN dedupe_key;
DROP TABLE inbound_jobs;
