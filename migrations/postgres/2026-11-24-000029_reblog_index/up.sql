-- "Did the reader boost these?" asks for (reblog_of_id, actor_id): with the
-- boosted id alone the planner walked all of the reader's statuses instead,
-- on every status shown (thousands for a prolific reader).
DROP INDEX statuses_reblog;
CREATE INDEX statuses_reblog ON statuses (reblog_of_id, actor_id);
