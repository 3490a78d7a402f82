-- Groups (communities of practice, FEP-1b12 Group actors). A group is an account with
-- actor_type 'Group'; this table holds what only groups have. Membership is a follow of the group.
CREATE TABLE groups (
    account_id BIGINT PRIMARY KEY NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    local BOOLEAN NOT NULL,
    rules TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT '[]',
    members_only BOOLEAN NOT NULL DEFAULT FALSE,
    join_policy TEXT NOT NULL DEFAULT 'open' CHECK (join_policy IN ('open', 'approval', 'invite')),
    moderators_url TEXT,
    created_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Roles in local groups: owner and moderators (members are followers).
CREATE TABLE group_roles (
    group_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'moderator')),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, account_id)
);

-- People a local group has banned; their follows end and their posts are refused.
CREATE TABLE group_bans (
    group_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    reason TEXT NOT NULL DEFAULT '',
    banned_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, account_id)
);

-- Invitations to invite-only groups.
CREATE TABLE group_invites (
    group_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    invited_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, account_id)
);

-- Every moderation action in a group: who, what, on whom or what, why.
CREATE TABLE group_moderation_log (
    id BIGINT PRIMARY KEY NOT NULL,
    group_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    target_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    target_status_ap_id TEXT,
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX group_moderation_log_group ON group_moderation_log (group_id, id);

-- Reports about group content, for the group's moderators.
CREATE TABLE group_reports (
    id BIGINT PRIMARY KEY NOT NULL,
    group_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    reporter_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    status_id BIGINT REFERENCES statuses (id) ON DELETE SET NULL,
    target_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    comment TEXT NOT NULL DEFAULT '',
    ap_id TEXT,
    resolved_at TIMESTAMP,
    resolved_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX group_reports_group ON group_reports (group_id, id);

-- Which group a post belongs to (its audience), and threads a moderator locked.
ALTER TABLE statuses ADD COLUMN group_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL;
ALTER TABLE statuses ADD COLUMN locked BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX statuses_group ON statuses (group_id, id);
