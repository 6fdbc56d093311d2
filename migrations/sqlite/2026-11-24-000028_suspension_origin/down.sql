DROP INDEX actors_suspended;
ALTER TABLE actors DROP COLUMN suspension_origin;
