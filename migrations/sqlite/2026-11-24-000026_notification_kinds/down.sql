DROP INDEX polls_expires;
DROP TABLE poll_endings;
ALTER TABLE follows DROP COLUMN notify;
