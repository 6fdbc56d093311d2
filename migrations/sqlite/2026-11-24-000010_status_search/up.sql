-- Full-text search over what people wrote (title, content warning, text as
-- typed). Contentless: the text lives in statuses; triggers keep the index in
-- step with every writer, and deleted statuses leave it.
CREATE VIRTUAL TABLE statuses_fts USING fts5(
    body, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO statuses_fts (rowid, body)
    SELECT id, coalesce(title, '') || ' ' || spoiler_text || ' ' || source FROM statuses
    WHERE deleted_at IS NULL;

CREATE TRIGGER statuses_fts_added AFTER INSERT ON statuses
WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO statuses_fts (rowid, body)
    VALUES (NEW.id, coalesce(NEW.title, '') || ' ' || NEW.spoiler_text || ' ' || NEW.source);
END;
CREATE TRIGGER statuses_fts_changed AFTER UPDATE OF title, spoiler_text, source, deleted_at ON statuses
BEGIN
    DELETE FROM statuses_fts WHERE rowid = OLD.id;
    INSERT INTO statuses_fts (rowid, body)
    SELECT NEW.id, coalesce(NEW.title, '') || ' ' || NEW.spoiler_text || ' ' || NEW.source
    WHERE NEW.deleted_at IS NULL;
END;
CREATE TRIGGER statuses_fts_removed AFTER DELETE ON statuses
BEGIN
    DELETE FROM statuses_fts WHERE rowid = OLD.id;
END;
