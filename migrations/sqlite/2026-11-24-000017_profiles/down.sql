ALTER TABLE actors DROP COLUMN fields;
ALTER TABLE actors DROP COLUMN note_source;
