-- Full-text search over what people wrote (title, content warning, text as
-- typed), with the 'simple' configuration: no stemming, so French and English
-- match alike, as SQLite's tokenizer does. Deleted statuses have their text
-- erased, and so leave the index.
ALTER TABLE statuses ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', coalesce(title, '') || ' ' || spoiler_text || ' ' || source)
) STORED;
CREATE INDEX statuses_search ON statuses USING GIN (search_vector);
