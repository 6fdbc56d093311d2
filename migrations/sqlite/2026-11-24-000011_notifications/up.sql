-- What happened to a local person: mentions and replies, favourites, follows and
-- follow requests. Only local recipients: remote people are told by their own
-- servers.
CREATE TABLE notifications (
    id BIGINT PRIMARY KEY,
    recipient_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    from_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    status_id BIGINT REFERENCES statuses (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX notifications_recipient ON notifications (recipient_id, id);

-- Where a person stopped reading a timeline, shared by their apps.
CREATE TABLE markers (
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    timeline TEXT NOT NULL,
    last_read_id BIGINT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (actor_id, timeline)
);
