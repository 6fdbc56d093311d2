-- Profiles: the note as its author typed it, and profile fields (a JSON array
-- of {"name", "value"}; values are sanitised HTML), e.g. department, role, skills.
ALTER TABLE actors ADD COLUMN note_source TEXT NOT NULL DEFAULT '';
ALTER TABLE actors ADD COLUMN fields TEXT NOT NULL DEFAULT '[]';
