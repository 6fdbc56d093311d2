DROP TRIGGER statuses_fts_removed;
DROP TRIGGER statuses_fts_changed;
DROP TRIGGER statuses_fts_added;
DROP TABLE statuses_fts;
