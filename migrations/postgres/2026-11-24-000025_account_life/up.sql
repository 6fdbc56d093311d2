-- Suspended by an administrator (hidden, login refused; reversible), or deleted
-- (data erased; the row stays as a tombstone so the name and ActivityPub id are
-- never reused, and its key signs the Delete).
ALTER TABLE actors ADD COLUMN suspended_at TIMESTAMP;
ALTER TABLE actors ADD COLUMN deleted_at TIMESTAMP;
