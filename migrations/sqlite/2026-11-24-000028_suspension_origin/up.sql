-- Who suspended an account: `local` (an administrator here) or `remote` (the
-- account's own server said so in its actor). A remote server may lift only the
-- suspensions it caused.
ALTER TABLE actors ADD COLUMN suspension_origin TEXT;
-- Every timeline leaves suspended authors out: find them without reading every
-- actor (rows carry their keys, a whole-table read is megabytes).
CREATE INDEX actors_suspended ON actors (id) WHERE suspended_at IS NOT NULL;
UPDATE actors SET suspension_origin = 'local' WHERE suspended_at IS NOT NULL;
