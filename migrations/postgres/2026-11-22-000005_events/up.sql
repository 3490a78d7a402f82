-- Recurring series: the RFC 5545 rule; each occurrence is an event of its own.
CREATE TABLE event_series (
    id BIGINT PRIMARY KEY NOT NULL,
    rrule TEXT NOT NULL,
    timezone TEXT NOT NULL,
    organiser_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);

-- Events (FEP-8a8e / Mobilizon), local and remote. Each also has a status row (its form in
-- timelines), sharing the id and the ActivityPub id.
CREATE TABLE events (
    id BIGINT PRIMARY KEY NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    ap_id TEXT NOT NULL,
    local BOOLEAN NOT NULL,
    organiser_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    group_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    description_source TEXT,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP,
    timezone TEXT NOT NULL DEFAULT 'Asia/Tokyo',
    place_name TEXT,
    address TEXT,
    prefecture INTEGER,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    online_url TEXT,
    category TEXT,
    banner_url TEXT,
    event_status TEXT NOT NULL DEFAULT 'scheduled'
        CHECK (event_status IN ('scheduled', 'cancelled', 'postponed', 'moved_online')),
    capacity INTEGER,
    join_mode TEXT NOT NULL DEFAULT 'free' CHECK (join_mode IN ('free', 'restricted', 'invite', 'external')),
    external_url TEXT,
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'unlisted', 'private')),
    series_id BIGINT REFERENCES event_series (id) ON DELETE SET NULL,
    participant_count INTEGER NOT NULL DEFAULT 0,
    sequence INTEGER NOT NULL DEFAULT 0,
    search_text TEXT NOT NULL DEFAULT '',
    reminded_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX events_ap_id ON events (ap_id);
CREATE INDEX events_starts ON events (starts_at);
CREATE INDEX events_group ON events (group_id, starts_at);
CREATE INDEX events_organiser ON events (organiser_id, starts_at);
CREATE INDEX events_prefecture ON events (prefecture, starts_at);
CREATE INDEX events_category ON events (category, starts_at);
CREATE INDEX events_series ON events (series_id, starts_at);

-- Who takes part: accepted, waiting for the organiser (pending), on the waiting list
-- (waitlisted, in id order), maybe (tentative), or refused (rejected).
CREATE TABLE event_participants (
    id BIGINT PRIMARY KEY NOT NULL,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('accepted', 'pending', 'waitlisted', 'tentative', 'rejected')),
    ap_id TEXT,
    message TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX event_participants_pair ON event_participants (event_id, account_id);
CREATE INDEX event_participants_state ON event_participants (event_id, state, id);
CREATE INDEX event_participants_account ON event_participants (account_id, state);

-- Character bigrams of each event's searchable text (Japanese has no word spaces).
CREATE TABLE event_search_grams (
    gram TEXT NOT NULL,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    PRIMARY KEY (gram, event_id)
);
CREATE INDEX event_search_grams_event ON event_search_grams (event_id);

-- Secret, revocable URLs of a member's personal calendar feed.
CREATE TABLE calendar_tokens (
    id BIGINT PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE UNIQUE INDEX calendar_tokens_hash ON calendar_tokens (token_hash);

-- Instances we exchange events with: partners (instance actors following each other) and relays.
CREATE TABLE federation_partners (
    id BIGINT PRIMARY KEY NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('instance', 'litepub_relay', 'mastodon_relay')),
    state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
    follow_ap_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX federation_partners_actor ON federation_partners (actor_id);
