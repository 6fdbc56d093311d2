DROP TRIGGER actor_stats_follows ON follows;
DROP FUNCTION actor_stats_follows();
DROP TRIGGER actor_stats_statuses ON statuses;
DROP FUNCTION actor_stats_statuses();
DROP TABLE actor_stats;
