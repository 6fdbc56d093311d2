-- The people directory: the profile fields an organisation defines (which are
-- shown is config.toml's [directory]), filled by the person (later also by
-- single sign-on: `source` says who wrote them last).
CREATE TABLE directory_profiles (
    actor_id BIGINT PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
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
    concat_ws(' ', a.name, a.display_name, a.note_source,
        (SELECT string_agg(concat_ws(' ', f ->> 'name', f ->> 'value'), ' ')
         FROM jsonb_array_elements(CASE WHEN jsonb_typeof(a.fields::jsonb) = 'array'
                                        THEN a.fields::jsonb ELSE '[]'::jsonb END) f),
        p.department, p.job_title, p.location, p.languages,
        (SELECT string_agg(s.skill, ' ') FROM directory_skills s WHERE s.actor_id = a.id)
    ) AS body
FROM actors a LEFT JOIN directory_profiles p ON p.actor_id = a.id
WHERE a.local AND a.kind = 'Person' AND a.deleted_at IS NULL;

-- Its 'simple' tsvector (no stemming, as for statuses), kept by triggers on the
-- three tables.
CREATE TABLE people_search (
    actor_id BIGINT PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
    document tsvector NOT NULL
);
CREATE INDEX people_search_document ON people_search USING GIN (document);
INSERT INTO people_search (actor_id, document)
    SELECT actor_id, to_tsvector('simple', body) FROM people_search_text;

CREATE FUNCTION people_search_refresh(target BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM people_search WHERE actor_id = target;
    INSERT INTO people_search (actor_id, document)
        SELECT actor_id, to_tsvector('simple', body) FROM people_search_text
        WHERE actor_id = target;
END $$;

CREATE FUNCTION people_search_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'actors' THEN
        PERFORM people_search_refresh(NEW.id);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM people_search_refresh(OLD.actor_id);
    ELSE
        PERFORM people_search_refresh(NEW.actor_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER people_search_actors
    AFTER INSERT OR UPDATE OF name, display_name, note_source, fields, deleted_at ON actors
    FOR EACH ROW WHEN (NEW.local AND NEW.kind = 'Person')
    EXECUTE FUNCTION people_search_touch();
CREATE TRIGGER people_search_profiles
    AFTER INSERT OR UPDATE OR DELETE ON directory_profiles
    FOR EACH ROW EXECUTE FUNCTION people_search_touch();
CREATE TRIGGER people_search_skills
    AFTER INSERT OR DELETE ON directory_skills
    FOR EACH ROW EXECUTE FUNCTION people_search_touch();
