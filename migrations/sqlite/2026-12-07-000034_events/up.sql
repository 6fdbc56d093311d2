-- An event is a status (its title, its description, its community) with a
-- date: the row below. Times are UTC; `time_zone` is the organiser's (IANA
-- name), for display and calendar files. `sequence` counts the organiser's
-- changes (iCalendar SEQUENCE). A remote event's participants are counted by
-- its server: `remote_going` is the figure it last sent.
CREATE TABLE events (
    status_id BIGINT PRIMARY KEY REFERENCES statuses (id) ON DELETE CASCADE,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP,
    time_zone TEXT NOT NULL,
    all_day BOOLEAN NOT NULL,
    location TEXT NOT NULL,
    online_url TEXT,
    capacity BIGINT,
    cancelled_at TIMESTAMP,
    sequence INTEGER NOT NULL,
    remote_going BIGINT
);
CREATE INDEX events_starts_at ON events (starts_at);
-- Who answers what: going, maybe, declined. Going past the capacity waits
-- (`waitlisted`) until a place frees up, first come first served. `ap_id`: the
-- Join (or other answer) that carried it, for answers that travel.
CREATE TABLE event_answers (
    status_id BIGINT NOT NULL REFERENCES events (status_id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    answer TEXT NOT NULL,
    waitlisted BOOLEAN NOT NULL,
    ap_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    reminded_at TIMESTAMP,
    PRIMARY KEY (status_id, actor_id)
);
CREATE INDEX event_answers_actor ON event_answers (actor_id, status_id);
-- A person's calendar subscription: the token in their feed URLs. It reads
-- what the database already holds, so it is kept as is (shown on their agenda
-- page); a new one revokes the old.
CREATE TABLE calendar_feeds (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
