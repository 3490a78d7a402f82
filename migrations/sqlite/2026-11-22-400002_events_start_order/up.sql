-- The directory lists events by (starts_at, id): with both in one index the plan walks it in that
-- order and stops after a page, instead of sorting every upcoming event first.
CREATE INDEX events_starts_id ON events (starts_at, id);
DROP INDEX events_starts;
