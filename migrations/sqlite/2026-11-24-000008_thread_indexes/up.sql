-- A community's threads (its top-level posts), newest first, without walking
-- the comments; and reply lookups without NULLs, so planners stop taking
-- "in_reply_to_id IS NULL" (every thread) for a selective condition.
CREATE INDEX statuses_community_threads ON statuses (community_id, id) WHERE in_reply_to_id IS NULL;
DROP INDEX statuses_reply;
CREATE INDEX statuses_reply ON statuses (in_reply_to_id) WHERE in_reply_to_id IS NOT NULL;
