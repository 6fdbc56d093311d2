DROP TABLE community_bans;
DROP TABLE status_tags;
DROP TABLE tags;
DROP TABLE mentions;
DROP INDEX statuses_public_timeline;
ALTER TABLE statuses DROP COLUMN removed;
ALTER TABLE statuses DROP COLUMN deleted_at;
