CREATE INDEX events_starts ON events (starts_at);
DROP INDEX events_starts_id;
