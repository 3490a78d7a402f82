DROP INDEX statuses_group;
ALTER TABLE statuses DROP COLUMN locked;
ALTER TABLE statuses DROP COLUMN group_id;
DROP TABLE group_reports;
DROP TABLE group_moderation_log;
DROP TABLE group_invites;
DROP TABLE group_bans;
DROP TABLE group_roles;
DROP TABLE groups;
