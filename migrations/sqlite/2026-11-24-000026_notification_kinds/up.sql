-- "Notify me when they post" on a follow (the `status` notification).
ALTER TABLE follows ADD COLUMN notify BOOLEAN NOT NULL DEFAULT FALSE;

-- Polls whose end was announced (the `poll` notification), once each even with
-- several nodes running the job.
CREATE TABLE poll_endings (
    status_id BIGINT PRIMARY KEY REFERENCES statuses (id) ON DELETE CASCADE,
    notified_at TIMESTAMP NOT NULL
);
-- The job looks for polls that ended.
CREATE INDEX polls_expires ON polls (expires_at);
