ALTER TABLE instances DROP COLUMN nodeinfo_at;
ALTER TABLE instances DROP COLUMN signatures;
