DROP INDEX statuses_reblog;
CREATE INDEX statuses_reblog ON statuses (reblog_of_id);
