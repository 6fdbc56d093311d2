-- The people directory: the profile fields an organisation defines (which are
-- shown is config.toml's [directory]), filled by the person (later also by
-- single sign-on: `source` says who wrote them last).
CREATE TABLE directory_profiles (
    actor_id BIGINT PRIMARY KEY NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    department TEXT NOT NULL DEFAULT '',
    job_title TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT 'person',
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX directory_profiles_department ON directory_profiles (department);
CREATE INDEX directory_profiles_location ON directory_profiles (location);

-- Skills as tags, lower case, one row each (filtering and "find an expert").
CREATE TABLE directory_skills (
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    skill TEXT NOT NULL,
    PRIMARY KEY (actor_id, skill)
);
CREATE INDEX directory_skills_skill ON directory_skills (skill);

-- Instance-level badges given by administrators (Mastodon's account `roles`):
-- `ambassador`.
CREATE TABLE account_roles (
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (actor_id, role)
);

-- What the directory's full-text search reads for each local person: names,
-- bio as typed, profile fields, directory fields (not the phone) and skills.
CREATE VIEW people_search_text AS
SELECT a.id AS actor_id,
    a.name || ' ' || a.display_name || ' ' || a.note_source || ' '
    || coalesce((SELECT group_concat(coalesce(json_extract(f.value, '$.name'), '') || ' '
                 || coalesce(json_extract(f.value, '$.value'), ''), ' ')
                 FROM json_each(a.fields) f), '') || ' '
    || coalesce(p.department, '') || ' ' || coalesce(p.job_title, '') || ' '
    || coalesce(p.location, '') || ' ' || coalesce(p.languages, '') || ' '
    || coalesce((SELECT group_concat(s.skill, ' ') FROM directory_skills s
                 WHERE s.actor_id = a.id), '') AS body
FROM actors a LEFT JOIN directory_profiles p ON p.actor_id = a.id
WHERE a.local AND a.kind = 'Person' AND a.deleted_at IS NULL;

-- Contentless FTS5 index of that text, kept by triggers on the three tables.
CREATE VIRTUAL TABLE people_fts USING fts5(
    body, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO people_fts (rowid, body) SELECT actor_id, body FROM people_search_text;

CREATE TRIGGER people_fts_actor_added AFTER INSERT ON actors
WHEN NEW.local AND NEW.kind = 'Person' BEGIN
    INSERT INTO people_fts (rowid, body)
    SELECT actor_id, body FROM people_search_text WHERE actor_id = NEW.id;
END;
CREATE TRIGGER people_fts_actor_changed
AFTER UPDATE OF name, display_name, note_source, fields, deleted_at ON actors
WHEN NEW.local AND NEW.kind = 'Person' BEGIN
    DELETE FROM people_fts WHERE rowid = NEW.id;
    INSERT INTO people_fts (rowid, body)
    SELECT actor_id, body FROM people_search_text WHERE actor_id = NEW.id;
END;
CREATE TRIGGER people_fts_actor_removed AFTER DELETE ON actors
WHEN OLD.local AND OLD.kind = 'Person' BEGIN
    DELETE FROM people_fts WHERE rowid = OLD.id;
END;
CREATE TRIGGER people_fts_profile_added AFTER INSERT ON directory_profiles BEGIN
    DELETE FROM people_fts WHERE rowid = NEW.actor_id;
    INSERT INTO people_fts (rowid, body)
    SELECT actor_id, body FROM people_search_text WHERE actor_id = NEW.actor_id;
END;
CREATE TRIGGER people_fts_profile_changed AFTER UPDATE ON directory_profiles BEGIN
    DELETE FROM people_fts WHERE rowid = NEW.actor_id;
    INSERT INTO people_fts (rowid, body)
    SELECT actor_id, body FROM people_search_text WHERE actor_id = NEW.actor_id;
END;
CREATE TRIGGER people_fts_profile_removed AFTER DELETE ON directory_profiles BEGIN
    DELETE FROM people_fts WHERE rowid = OLD.actor_id;
    INSERT INTO people_fts (rowid, body)
    SELECT actor_id, body FROM people_search_text WHERE actor_id = OLD.actor_id;
END;
CREATE TRIGGER people_fts_skill_added AFTER INSERT ON directory_skills BEGIN
    DELETE FROM people_fts WHERE rowid = NEW.actor_id;
    INSERT INTO people_fts (rowid, body)
    SELECT actor_id, body FROM people_search_text WHERE actor_id = NEW.actor_id;
END;
CREATE TRIGGER people_fts_skill_removed AFTER DELETE ON directory_skills BEGIN
    DELETE FROM people_fts WHERE rowid = OLD.actor_id;
    INSERT INTO people_fts (rowid, body)
    SELECT actor_id, body FROM people_search_text WHERE actor_id = OLD.actor_id;
END;
