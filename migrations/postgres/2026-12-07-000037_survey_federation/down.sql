ALTER TABLE surveys DROP COLUMN remote_results;
