DROP INDEX statuses_reply;
CREATE INDEX statuses_reply ON statuses (in_reply_to_id);
DROP INDEX statuses_community_threads;
