DROP TRIGGER account_stats_follows ON follows;
DROP TRIGGER account_stats_statuses ON statuses;
DROP FUNCTION account_stats_follows();
DROP FUNCTION account_stats_statuses();
DROP TABLE account_stats;
