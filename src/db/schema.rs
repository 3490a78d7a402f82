//! Tables as diesel sees them, in types both SQLite and PostgreSQL share. Kept by hand; the test
//! `db::schema_matches_both_backends` compares it with both migration trees.

diesel::table! {
    accounts (id) {
        id -> BigInt,
        username -> Text,
        domain -> Nullable<Text>,
        actor_type -> Text,
        display_name -> Text,
        note -> Text,
        ap_id -> Text,
        url -> Nullable<Text>,
        inbox_url -> Text,
        shared_inbox_url -> Nullable<Text>,
        outbox_url -> Nullable<Text>,
        followers_url -> Nullable<Text>,
        following_url -> Nullable<Text>,
        featured_url -> Nullable<Text>,
        public_key_pem -> Text,
        private_key_pem -> Nullable<Text>,
        locked -> Bool,
        discoverable -> Bool,
        bot -> Bool,
        fields -> Text,
        avatar_remote_url -> Nullable<Text>,
        header_remote_url -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_fetched_at -> Nullable<Timestamp>,
        suspended_at -> Nullable<Timestamp>,
        public_key_id -> Nullable<Text>,
    }
}

diesel::table! {
    users (account_id) {
        account_id -> BigInt,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        locale -> Text,
        approved -> Bool,
        disabled -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_sign_in_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    statuses (id) {
        id -> BigInt,
        account_id -> BigInt,
        ap_id -> Text,
        url -> Nullable<Text>,
        local -> Bool,
        object_type -> Text,
        in_reply_to_id -> Nullable<BigInt>,
        in_reply_to_account_id -> Nullable<BigInt>,
        in_reply_to_ap_id -> Nullable<Text>,
        reblog_of_id -> Nullable<BigInt>,
        thread_ap_id -> Nullable<Text>,
        title -> Nullable<Text>,
        content -> Text,
        source_text -> Nullable<Text>,
        spoiler_text -> Text,
        sensitive -> Bool,
        visibility -> Text,
        language -> Nullable<Text>,
        replies_count -> Integer,
        reblogs_count -> Integer,
        favourites_count -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
        group_id -> Nullable<BigInt>,
        locked -> Bool,
    }
}

diesel::table! {
    status_edits (id) {
        id -> BigInt,
        status_id -> BigInt,
        account_id -> BigInt,
        content -> Text,
        spoiler_text -> Text,
        sensitive -> Bool,
        media_ids -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mentions (status_id, account_id) {
        status_id -> BigInt,
        account_id -> BigInt,
    }
}

diesel::table! {
    tags (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    statuses_tags (tag_id, status_id) {
        status_id -> BigInt,
        tag_id -> BigInt,
    }
}

diesel::table! {
    follows (id) {
        id -> BigInt,
        account_id -> BigInt,
        target_account_id -> BigInt,
        ap_id -> Nullable<Text>,
        state -> Text,
        show_reblogs -> Bool,
        notify -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    favourites (id) {
        id -> BigInt,
        account_id -> BigInt,
        status_id -> BigInt,
        ap_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bookmarks (id) {
        id -> BigInt,
        account_id -> BigInt,
        status_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    status_pins (id) {
        id -> BigInt,
        account_id -> BigInt,
        status_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    blocks (id) {
        id -> BigInt,
        account_id -> BigInt,
        target_account_id -> BigInt,
        ap_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mutes (id) {
        id -> BigInt,
        account_id -> BigInt,
        target_account_id -> BigInt,
        notifications -> Bool,
        expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        account_id -> BigInt,
        from_account_id -> BigInt,
        kind -> Text,
        status_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    account_stats (account_id) {
        account_id -> BigInt,
        statuses_count -> BigInt,
        following_count -> BigInt,
        followers_count -> BigInt,
        last_status_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    home_feed (account_id, status_id) {
        account_id -> BigInt,
        status_id -> BigInt,
        author_id -> BigInt,
    }
}

diesel::table! {
    tombstones (ap_id) {
        ap_id -> Text,
        deleted_at -> Timestamp,
    }
}

diesel::table! {
    activities (id) {
        id -> BigInt,
        ap_id -> Text,
        actor_id -> BigInt,
        kind -> Text,
        object_ap_id -> Nullable<Text>,
        body -> Text,
        public -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    deliveries (id) {
        id -> BigInt,
        activity_id -> BigInt,
        inbox_url -> Text,
        domain -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    instances (domain) {
        domain -> Text,
        consecutive_failures -> Integer,
        failure_days -> Integer,
        last_failure_at -> Nullable<Timestamp>,
        last_success_at -> Nullable<Timestamp>,
        retry_at -> Nullable<Timestamp>,
        unavailable -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    received_activities (ap_id) {
        ap_id -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    groups (account_id) {
        account_id -> BigInt,
        local -> Bool,
        rules -> Text,
        topics -> Text,
        members_only -> Bool,
        join_policy -> Text,
        moderators_url -> Nullable<Text>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    group_roles (group_id, account_id) {
        group_id -> BigInt,
        account_id -> BigInt,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    group_bans (group_id, account_id) {
        group_id -> BigInt,
        account_id -> BigInt,
        reason -> Text,
        banned_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    group_invites (group_id, account_id) {
        group_id -> BigInt,
        account_id -> BigInt,
        invited_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    group_moderation_log (id) {
        id -> BigInt,
        group_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        target_account_id -> Nullable<BigInt>,
        target_status_ap_id -> Nullable<Text>,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    group_reports (id) {
        id -> BigInt,
        group_id -> BigInt,
        reporter_id -> Nullable<BigInt>,
        status_id -> Nullable<BigInt>,
        target_account_id -> Nullable<BigInt>,
        comment -> Text,
        ap_id -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        resolved_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    event_series (id) {
        id -> BigInt,
        rrule -> Text,
        timezone -> Text,
        organiser_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        ap_id -> Text,
        local -> Bool,
        organiser_id -> BigInt,
        group_id -> Nullable<BigInt>,
        title -> Text,
        description -> Text,
        description_source -> Nullable<Text>,
        starts_at -> Timestamp,
        ends_at -> Nullable<Timestamp>,
        timezone -> Text,
        place_name -> Nullable<Text>,
        address -> Nullable<Text>,
        prefecture -> Nullable<Integer>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        online_url -> Nullable<Text>,
        category -> Nullable<Text>,
        banner_url -> Nullable<Text>,
        event_status -> Text,
        capacity -> Nullable<Integer>,
        join_mode -> Text,
        external_url -> Nullable<Text>,
        visibility -> Text,
        series_id -> Nullable<BigInt>,
        participant_count -> Integer,
        sequence -> Integer,
        search_text -> Text,
        reminded_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    event_participants (id) {
        id -> BigInt,
        event_id -> BigInt,
        account_id -> BigInt,
        state -> Text,
        ap_id -> Nullable<Text>,
        message -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    event_search_grams (gram, event_id) {
        gram -> Text,
        event_id -> BigInt,
    }
}

diesel::table! {
    calendar_tokens (id) {
        id -> BigInt,
        account_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    federation_partners (id) {
        id -> BigInt,
        actor_id -> BigInt,
        kind -> Text,
        state -> Text,
        follow_ap_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    oauth_applications (id) {
        id -> BigInt,
        name -> Text,
        website -> Nullable<Text>,
        redirect_uris -> Text,
        scopes -> Text,
        client_id -> Text,
        client_secret_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    oauth_authorization_codes (code_hash) {
        code_hash -> Text,
        application_id -> BigInt,
        account_id -> BigInt,
        redirect_uri -> Text,
        scopes -> Text,
        code_challenge -> Nullable<Text>,
        expires_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    oauth_access_tokens (id) {
        id -> BigInt,
        token_hash -> Text,
        application_id -> BigInt,
        account_id -> Nullable<BigInt>,
        scopes -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    server_secrets (name) {
        name -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    user_settings (account_id) {
        account_id -> BigInt,
        note_source -> Text,
        fields_source -> Text,
        default_privacy -> Text,
        default_sensitive -> Bool,
        default_language -> Nullable<Text>,
        indexable -> Bool,
        hide_collections -> Bool,
        avatar_file -> Nullable<Text>,
        header_file -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    media_attachments (id) {
        id -> BigInt,
        account_id -> BigInt,
        status_id -> Nullable<BigInt>,
        kind -> Text,
        state -> Text,
        file_name -> Nullable<Text>,
        content_type -> Nullable<Text>,
        file_size -> Nullable<BigInt>,
        width -> Nullable<Integer>,
        height -> Nullable<Integer>,
        thumbnail_file_name -> Nullable<Text>,
        thumbnail_width -> Nullable<Integer>,
        thumbnail_height -> Nullable<Integer>,
        description -> Nullable<Text>,
        focus_x -> Nullable<Double>,
        focus_y -> Nullable<Double>,
        blurhash -> Nullable<Text>,
        remote_url -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    status_applications (status_id) {
        status_id -> BigInt,
        application_id -> BigInt,
    }
}

diesel::table! {
    idempotency_keys (account_id, key) {
        account_id -> BigInt,
        key -> Text,
        status_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    markers (account_id, timeline) {
        account_id -> BigInt,
        timeline -> Text,
        last_read_id -> Text,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    lists (id) {
        id -> BigInt,
        account_id -> BigInt,
        title -> Text,
        replies_policy -> Text,
        exclusive -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    list_accounts (id) {
        id -> BigInt,
        list_id -> BigInt,
        account_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    filters (id) {
        id -> BigInt,
        account_id -> BigInt,
        title -> Text,
        context -> Text,
        action -> Text,
        expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    filter_keywords (id) {
        id -> BigInt,
        filter_id -> BigInt,
        keyword -> Text,
        whole_word -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    filter_statuses (id) {
        id -> BigInt,
        filter_id -> BigInt,
        status_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    conversation_marks (account_id, conversation_id) {
        account_id -> BigInt,
        conversation_id -> BigInt,
        read_status_id -> Nullable<BigInt>,
        hidden_status_id -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    endorsements (id) {
        id -> BigInt,
        account_id -> BigInt,
        target_account_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> accounts (account_id));
diesel::joinable!(oauth_access_tokens -> oauth_applications (application_id));
diesel::joinable!(oauth_authorization_codes -> oauth_applications (application_id));
diesel::joinable!(user_settings -> users (account_id));
diesel::joinable!(media_attachments -> accounts (account_id));
diesel::joinable!(event_participants -> events (event_id));
diesel::joinable!(event_search_grams -> events (event_id));
diesel::joinable!(deliveries -> activities (activity_id));
diesel::joinable!(statuses -> accounts (account_id));
diesel::joinable!(status_edits -> statuses (status_id));
diesel::joinable!(mentions -> statuses (status_id));
diesel::joinable!(statuses_tags -> statuses (status_id));
diesel::joinable!(statuses_tags -> tags (tag_id));
diesel::joinable!(favourites -> statuses (status_id));
diesel::joinable!(bookmarks -> statuses (status_id));
diesel::joinable!(status_pins -> statuses (status_id));
diesel::joinable!(notifications -> statuses (status_id));
diesel::joinable!(home_feed -> statuses (status_id));
diesel::joinable!(account_stats -> accounts (account_id));
diesel::joinable!(status_applications -> oauth_applications (application_id));
diesel::joinable!(list_accounts -> lists (list_id));
diesel::joinable!(filter_keywords -> filters (filter_id));
diesel::joinable!(filter_statuses -> filters (filter_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    users,
    statuses,
    status_edits,
    mentions,
    tags,
    statuses_tags,
    follows,
    favourites,
    bookmarks,
    status_pins,
    blocks,
    mutes,
    notifications,
    home_feed,
    tombstones,
    activities,
    deliveries,
    instances,
    received_activities,
    groups,
    group_roles,
    group_bans,
    group_invites,
    group_moderation_log,
    group_reports,
    event_series,
    events,
    event_participants,
    event_search_grams,
    calendar_tokens,
    federation_partners,
    oauth_applications,
    oauth_authorization_codes,
    oauth_access_tokens,
    server_secrets,
    user_settings,
    media_attachments,
    status_applications,
    idempotency_keys,
    markers,
    lists,
    list_accounts,
    filters,
    filter_keywords,
    filter_statuses,
    endorsements,
    conversation_marks,
);
