-- A status's poll. Options are a JSON array of titles. Local polls are counted
-- from poll_votes; a remote poll's counts are those its server last sent.
CREATE TABLE polls (
    status_id BIGINT PRIMARY KEY REFERENCES statuses (id) ON DELETE CASCADE,
    options TEXT NOT NULL,
    multiple BOOLEAN NOT NULL,
    hide_totals BOOLEAN NOT NULL,
    expires_at TIMESTAMP,
    remote_counts TEXT,
    remote_voters BIGINT
);
-- One row per chosen option. `ap_id`: the vote's Note, for votes that travel.
CREATE TABLE poll_votes (
    id BIGINT PRIMARY KEY,
    status_id BIGINT NOT NULL REFERENCES polls (status_id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    choice INTEGER NOT NULL,
    ap_id TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (status_id, actor_id, choice)
);
CREATE INDEX poll_votes_actor ON poll_votes (actor_id, status_id);
