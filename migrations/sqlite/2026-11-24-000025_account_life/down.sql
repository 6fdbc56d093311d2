ALTER TABLE actors DROP COLUMN deleted_at;
ALTER TABLE actors DROP COLUMN suspended_at;
