// Written by hand to match migrations/{sqlite,postgres}: both backends share it.

diesel::table! {
    instances (id) {
        id -> BigInt,
        domain -> Text,
        software -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        signatures -> Nullable<Text>,
        nodeinfo_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    actors (id) {
        id -> BigInt,
        ap_id -> Text,
        kind -> Text,
        name -> Text,
        domain -> Text,
        local -> Bool,
        display_name -> Text,
        summary -> Text,
        url -> Nullable<Text>,
        inbox_url -> Text,
        shared_inbox_url -> Nullable<Text>,
        outbox_url -> Nullable<Text>,
        followers_url -> Nullable<Text>,
        following_url -> Nullable<Text>,
        public_key_pem -> Text,
        private_key_pem -> Nullable<Text>,
        avatar_url -> Nullable<Text>,
        header_url -> Nullable<Text>,
        locked -> Bool,
        discoverable -> Bool,
        visibility -> Text,
        instance_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        fetched_at -> Nullable<Timestamp>,
        note_source -> Text,
        fields -> Text,
        suspended_at -> Nullable<Timestamp>,
        deleted_at -> Nullable<Timestamp>,
        suspension_origin -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        actor_id -> BigInt,
        email -> Text,
        password_hash -> Text,
        admin -> Bool,
        locale -> Text,
        disabled -> Bool,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        email_confirmed_at -> Nullable<Timestamp>,
        last_active_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    community_roles (community_id, actor_id) {
        community_id -> BigInt,
        actor_id -> BigInt,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    follows (id) {
        id -> BigInt,
        follower_id -> BigInt,
        target_id -> BigInt,
        ap_id -> Nullable<Text>,
        state -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        notify -> Bool,
    }
}

diesel::table! {
    statuses (id) {
        id -> BigInt,
        ap_id -> Text,
        url -> Nullable<Text>,
        actor_id -> BigInt,
        community_id -> Nullable<BigInt>,
        in_reply_to_id -> Nullable<BigInt>,
        thread_root_id -> Nullable<BigInt>,
        reblog_of_id -> Nullable<BigInt>,
        title -> Nullable<Text>,
        content -> Text,
        source -> Text,
        source_type -> Text,
        spoiler_text -> Text,
        sensitive -> Bool,
        language -> Nullable<Text>,
        visibility -> Text,
        local -> Bool,
        replies_count -> BigInt,
        favourites_count -> BigInt,
        reblogs_count -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
        deleted_at -> Nullable<Timestamp>,
        removed -> Bool,
    }
}

diesel::table! {
    mentions (status_id, actor_id) {
        status_id -> BigInt,
        actor_id -> BigInt,
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
    status_tags (status_id, tag_id) {
        status_id -> BigInt,
        tag_id -> BigInt,
    }
}

diesel::table! {
    community_bans (community_id, actor_id) {
        community_id -> BigInt,
        actor_id -> BigInt,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    favourites (id) {
        id -> BigInt,
        actor_id -> BigInt,
        status_id -> BigInt,
        ap_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    oauth_apps (id) {
        id -> BigInt,
        client_id -> Text,
        client_secret_hash -> Text,
        name -> Text,
        website -> Nullable<Text>,
        redirect_uris -> Text,
        scopes -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    oauth_codes (code_hash) {
        code_hash -> Text,
        app_id -> BigInt,
        user_id -> BigInt,
        redirect_uri -> Text,
        scopes -> Text,
        code_challenge -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    oauth_tokens (id) {
        id -> BigInt,
        token_hash -> Text,
        refresh_hash -> Nullable<Text>,
        app_id -> BigInt,
        user_id -> Nullable<BigInt>,
        scopes -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    received_activities (ap_id) {
        ap_id -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    outbox_events (id) {
        id -> BigInt,
        payload -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        done_at -> Nullable<Timestamp>,
        dedupe_key -> Nullable<Text>,
    }
}

diesel::table! {
    outbox_activities (id) {
        id -> BigInt,
        ap_id -> Text,
        actor_id -> BigInt,
        object_ap_id -> Nullable<Text>,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    deliveries (id) {
        id -> BigInt,
        activity_id -> BigInt,
        inbox -> Text,
        domain -> Text,
        object_ap_id -> Nullable<Text>,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    destinations (domain) {
        domain -> Text,
        failing_since -> Nullable<Timestamp>,
        unreachable -> Bool,
        last_success_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    community_blocked_domains (community_id, domain) {
        community_id -> BigInt,
        domain -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> actors (actor_id));
diesel::joinable!(deliveries -> outbox_activities (activity_id));
diesel::joinable!(oauth_tokens -> oauth_apps (app_id));
diesel::joinable!(oauth_tokens -> users (user_id));
diesel::joinable!(oauth_codes -> oauth_apps (app_id));
diesel::joinable!(actors -> instances (instance_id));
diesel::joinable!(status_tags -> tags (tag_id));

diesel::table! {
    inbound_jobs (id) {
        id -> BigInt,
        activity_ap_id -> Text,
        object_key -> Nullable<Text>,
        body -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    instance_settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    federation_domains (list, pattern) {
        list -> Text,
        pattern -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    community_partner_domains (community_id, pattern) {
        community_id -> BigInt,
        pattern -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    actor_stats (actor_id) {
        actor_id -> BigInt,
        statuses -> BigInt,
        followers -> BigInt,
        following -> BigInt,
        last_status_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        recipient_id -> BigInt,
        from_id -> BigInt,
        kind -> Text,
        status_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        community_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    markers (actor_id, timeline) {
        actor_id -> BigInt,
        timeline -> Text,
        last_read_id -> BigInt,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    bookmarks (id) {
        id -> BigInt,
        actor_id -> BigInt,
        status_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (actor_id, key) {
        actor_id -> BigInt,
        key -> Text,
        status_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    polls (status_id) {
        status_id -> BigInt,
        options -> Text,
        multiple -> Bool,
        hide_totals -> Bool,
        expires_at -> Nullable<Timestamp>,
        remote_counts -> Nullable<Text>,
        remote_voters -> Nullable<BigInt>,
    }
}

diesel::table! {
    poll_votes (id) {
        id -> BigInt,
        status_id -> BigInt,
        actor_id -> BigInt,
        choice -> Integer,
        ap_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    events (status_id) {
        status_id -> BigInt,
        starts_at -> Timestamp,
        ends_at -> Nullable<Timestamp>,
        time_zone -> Text,
        all_day -> Bool,
        location -> Text,
        online_url -> Nullable<Text>,
        capacity -> Nullable<BigInt>,
        cancelled_at -> Nullable<Timestamp>,
        sequence -> Integer,
        remote_going -> Nullable<BigInt>,
    }
}

diesel::table! {
    event_answers (status_id, actor_id) {
        status_id -> BigInt,
        actor_id -> BigInt,
        answer -> Text,
        waitlisted -> Bool,
        ap_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        reminded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    surveys (status_id) {
        status_id -> BigInt,
        closes_at -> Timestamp,
        results_to_respondents -> Bool,
        remote_results -> Nullable<Text>,
    }
}

diesel::table! {
    survey_questions (status_id, position) {
        status_id -> BigInt,
        position -> Integer,
        kind -> Text,
        prompt -> Text,
        options -> Text,
    }
}

diesel::table! {
    survey_respondents (status_id, actor_id) {
        status_id -> BigInt,
        actor_id -> BigInt,
    }
}

diesel::table! {
    survey_answers (id) {
        id -> BigInt,
        status_id -> BigInt,
        question -> Integer,
        choice -> Nullable<Integer>,
        score -> Nullable<Integer>,
        text -> Nullable<Text>,
    }
}

diesel::table! {
    calendar_feeds (user_id) {
        user_id -> BigInt,
        token -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    media_attachments (id) {
        id -> BigInt,
        actor_id -> BigInt,
        status_id -> Nullable<BigInt>,
        position -> Integer,
        kind -> Text,
        content_type -> Text,
        file_key -> Nullable<Text>,
        preview_key -> Nullable<Text>,
        remote_url -> Nullable<Text>,
        description -> Text,
        blurhash -> Nullable<Text>,
        width -> Nullable<Integer>,
        height -> Nullable<Integer>,
        file_size -> Nullable<BigInt>,
        focus_x -> Nullable<Double>,
        focus_y -> Nullable<Double>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    conversations (id) {
        id -> BigInt,
        actor_id -> BigInt,
        root_status_id -> BigInt,
        last_status_id -> BigInt,
        unread -> Bool,
    }
}

diesel::table! {
    invites (id) {
        id -> BigInt,
        code_hash -> Text,
        created_by -> Nullable<BigInt>,
        max_uses -> Nullable<Integer>,
        uses -> Integer,
        expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        email -> Nullable<Text>,
    }
}

diesel::table! {
    reports (id) {
        id -> BigInt,
        reporter_id -> BigInt,
        target_id -> BigInt,
        community_id -> Nullable<BigInt>,
        status_ids -> Text,
        comment -> Text,
        category -> Text,
        rule_ids -> Text,
        forwarded -> Bool,
        ap_id -> Nullable<Text>,
        local -> Bool,
        created_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        resolved_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    pins (actor_id, status_id) {
        actor_id -> BigInt,
        status_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    status_edits (id) {
        id -> BigInt,
        status_id -> BigInt,
        title -> Nullable<Text>,
        content -> Text,
        spoiler_text -> Text,
        sensitive -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    blocks (id) {
        id -> BigInt,
        actor_id -> BigInt,
        target_id -> BigInt,
        ap_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mutes (id) {
        id -> BigInt,
        actor_id -> BigInt,
        target_id -> BigInt,
        notifications -> Bool,
        expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    lists (id) {
        id -> BigInt,
        actor_id -> BigInt,
        title -> Text,
        replies_policy -> Text,
        exclusive -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    list_members (id) {
        id -> BigInt,
        list_id -> BigInt,
        account_id -> BigInt,
    }
}

diesel::table! {
    tag_follows (id) {
        id -> BigInt,
        actor_id -> BigInt,
        tag_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    poll_endings (status_id) {
        status_id -> BigInt,
        notified_at -> Timestamp,
    }
}

diesel::table! {
    push_subscriptions (id) {
        id -> BigInt,
        token_id -> BigInt,
        actor_id -> BigInt,
        endpoint -> Text,
        p256dh -> Text,
        auth -> Text,
        alerts -> Text,
        policy -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    push_deliveries (id) {
        id -> BigInt,
        subscription_id -> BigInt,
        notification_id -> BigInt,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    instance_keys (name) {
        name -> Text,
        private_key -> Text,
        public_key -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(push_deliveries -> push_subscriptions (subscription_id));
diesel::joinable!(push_deliveries -> notifications (notification_id));
diesel::joinable!(push_subscriptions -> oauth_tokens (token_id));
diesel::joinable!(tag_follows -> tags (tag_id));
diesel::joinable!(list_members -> lists (list_id));
diesel::joinable!(status_edits -> statuses (status_id));
diesel::joinable!(pins -> statuses (status_id));
diesel::joinable!(polls -> statuses (status_id));
diesel::joinable!(poll_votes -> polls (status_id));
diesel::joinable!(events -> statuses (status_id));
diesel::joinable!(event_answers -> events (status_id));
diesel::joinable!(surveys -> statuses (status_id));
diesel::joinable!(survey_questions -> surveys (status_id));
diesel::joinable!(survey_respondents -> surveys (status_id));
diesel::joinable!(survey_answers -> surveys (status_id));
diesel::joinable!(notifications -> statuses (status_id));
diesel::joinable!(bookmarks -> statuses (status_id));
diesel::joinable!(favourites -> statuses (status_id));

diesel::table! {
    directory_profiles (actor_id) {
        actor_id -> BigInt,
        department -> Text,
        job_title -> Text,
        location -> Text,
        phone -> Text,
        languages -> Text,
        source -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    directory_skills (actor_id, skill) {
        actor_id -> BigInt,
        skill -> Text,
    }
}

diesel::table! {
    account_roles (actor_id, role) {
        actor_id -> BigInt,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(directory_profiles -> actors (actor_id));
diesel::joinable!(account_roles -> actors (actor_id));

diesel::table! {
    library_folders (id) {
        id -> BigInt,
        community_id -> BigInt,
        parent_id -> Nullable<BigInt>,
        name -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    documents (status_id) {
        status_id -> BigInt,
        folder_id -> Nullable<BigInt>,
        text -> Text,
    }
}

diesel::table! {
    document_versions (status_id, number) {
        status_id -> BigInt,
        number -> Integer,
        file_name -> Text,
        content_type -> Text,
        file_size -> BigInt,
        file_key -> Nullable<Text>,
        remote_url -> Nullable<Text>,
        uploaded_by -> Nullable<BigInt>,
        restored_from -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(documents -> statuses (status_id));
diesel::joinable!(documents -> library_folders (folder_id));
diesel::joinable!(document_versions -> documents (status_id));

diesel::table! {
    email_settings (user_id) {
        user_id -> BigInt,
        mentions -> Bool,
        direct_messages -> Bool,
        follows -> Bool,
        join_requests -> Bool,
        reports -> Bool,
        event_reminders -> Bool,
        digest -> Text,
        digest_sent_at -> Nullable<Timestamp>,
        alerted_until -> BigInt,
        unsubscribe_key -> Text,
    }
}

diesel::table! {
    email_tokens (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        purpose -> Text,
        email -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outgoing_mail (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        recipient -> Text,
        kind -> Text,
        subject -> Text,
        message -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        failed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(email_settings -> users (user_id));
diesel::joinable!(email_tokens -> users (user_id));
diesel::joinable!(outgoing_mail -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    email_settings,
    email_tokens,
    outgoing_mail,
    library_folders,
    documents,
    document_versions,
    directory_profiles,
    directory_skills,
    account_roles,
    push_subscriptions,
    push_deliveries,
    instance_keys,
    poll_endings,
    tag_follows,
    lists,
    list_members,
    blocks,
    mutes,
    status_edits,
    pins,
    reports,
    invites,
    conversations,
    media_attachments,
    polls,
    poll_votes,
    events,
    event_answers,
    calendar_feeds,
    surveys,
    survey_questions,
    survey_respondents,
    survey_answers,
    notifications,
    markers,
    bookmarks,
    idempotency_keys,
    actor_stats,
    instances,
    actors,
    users,
    community_roles,
    follows,
    statuses,
    favourites,
    oauth_apps,
    oauth_codes,
    oauth_tokens,
    received_activities,
    mentions,
    tags,
    status_tags,
    community_bans,
    outbox_events,
    outbox_activities,
    deliveries,
    destinations,
    community_blocked_domains,
    inbound_jobs,
    federation_domains,
    community_partner_domains,
    instance_settings,
);
