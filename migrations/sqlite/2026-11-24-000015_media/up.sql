-- Media attachments. A local upload has its file (and a preview for images) in
-- the media store under random keys; a remote one only its origin's URL. It
-- belongs to its uploader until a status takes it (`status_id`).
CREATE TABLE media_attachments (
    id BIGINT PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    status_id BIGINT REFERENCES statuses (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    content_type TEXT NOT NULL,
    file_key TEXT,
    preview_key TEXT,
    remote_url TEXT,
    description TEXT NOT NULL DEFAULT '',
    blurhash TEXT,
    width INTEGER,
    height INTEGER,
    file_size BIGINT,
    focus_x DOUBLE PRECISION,
    focus_y DOUBLE PRECISION,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX media_attachments_status ON media_attachments (status_id, position);
CREATE INDEX media_attachments_unattached ON media_attachments (actor_id, created_at) WHERE status_id IS NULL;
