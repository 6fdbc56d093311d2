-- A community's document library. Folders make a tree (`parent_id` NULL at
-- the top); names are unique among siblings, whatever their case.
CREATE TABLE library_folders (
    id BIGINT PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES library_folders (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_by BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX library_folders_name
    ON library_folders (community_id, COALESCE(parent_id, 0), LOWER(name));
-- A document is a status (its title is the document's name, its text the
-- description; comments, likes, deletion and federation are a thread's) with
-- a place in the library and versions. `text`: words of the latest version's
-- file, for search (office documents and plain text).
CREATE TABLE documents (
    status_id BIGINT PRIMARY KEY REFERENCES statuses (id) ON DELETE CASCADE,
    folder_id BIGINT REFERENCES library_folders (id) ON DELETE SET NULL,
    text TEXT NOT NULL
);
CREATE INDEX documents_folder ON documents (folder_id);
-- Every file a document has had; the highest number is the current one.
-- Restoring an earlier version adds a version with its file (`restored_from`).
-- Ours are in the media store's library folder (`file_key`); another server's
-- stay there (`remote_url`), fetched with a signature when someone downloads.
CREATE TABLE document_versions (
    status_id BIGINT NOT NULL REFERENCES documents (status_id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    file_size BIGINT NOT NULL,
    file_key TEXT,
    remote_url TEXT,
    uploaded_by BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    restored_from INTEGER,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (status_id, number)
);
