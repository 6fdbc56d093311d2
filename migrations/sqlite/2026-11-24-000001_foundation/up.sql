-- Foundation schema. Ids are time-ordered 64-bit integers made by the application;
-- timestamps are naive UTC; the ActivityPub URL of each object is a separate unique column.

CREATE TABLE instances (
    id BIGINT PRIMARY KEY,
    domain TEXT NOT NULL UNIQUE,
    software TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- One table for local and remote persons, groups (communities) and the instance actor.
CREATE TABLE actors (
    id BIGINT PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    domain TEXT NOT NULL,
    local BOOLEAN NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    url TEXT,
    inbox_url TEXT NOT NULL,
    shared_inbox_url TEXT,
    outbox_url TEXT,
    followers_url TEXT,
    following_url TEXT,
    public_key_pem TEXT NOT NULL,
    private_key_pem TEXT,
    avatar_url TEXT,
    header_url TEXT,
    locked BOOLEAN NOT NULL DEFAULT FALSE,
    discoverable BOOLEAN NOT NULL DEFAULT TRUE,
    visibility TEXT NOT NULL DEFAULT 'public',
    instance_id BIGINT REFERENCES instances (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    fetched_at TIMESTAMP,
    UNIQUE (domain, name)
);
CREATE INDEX actors_kind_local ON actors (kind, local);

CREATE TABLE users (
    id BIGINT PRIMARY KEY,
    actor_id BIGINT NOT NULL UNIQUE REFERENCES actors (id) ON DELETE CASCADE,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    admin BOOLEAN NOT NULL DEFAULT FALSE,
    locale TEXT NOT NULL DEFAULT 'en',
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP
);

-- Owner and moderators of communities (members are accepted follows).
CREATE TABLE community_roles (
    community_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (community_id, actor_id)
);
CREATE INDEX community_roles_actor ON community_roles (actor_id);

-- Person follows and community memberships alike.
CREATE TABLE follows (
    id BIGINT PRIMARY KEY,
    follower_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    ap_id TEXT UNIQUE,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (follower_id, target_id)
);
CREATE INDEX follows_target ON follows (target_id, state);

-- Everything people write: threads (title + community), comments (in_reply_to),
-- microblog posts, and reblogs.
CREATE TABLE statuses (
    id BIGINT PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    url TEXT,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    community_id BIGINT REFERENCES actors (id) ON DELETE CASCADE,
    in_reply_to_id BIGINT REFERENCES statuses (id) ON DELETE SET NULL,
    thread_root_id BIGINT REFERENCES statuses (id) ON DELETE SET NULL,
    reblog_of_id BIGINT REFERENCES statuses (id) ON DELETE CASCADE,
    title TEXT,
    content TEXT NOT NULL,
    source TEXT NOT NULL,
    source_type TEXT NOT NULL,
    spoiler_text TEXT NOT NULL DEFAULT '',
    sensitive BOOLEAN NOT NULL DEFAULT FALSE,
    language TEXT,
    visibility TEXT NOT NULL,
    local BOOLEAN NOT NULL,
    replies_count BIGINT NOT NULL DEFAULT 0,
    favourites_count BIGINT NOT NULL DEFAULT 0,
    reblogs_count BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    edited_at TIMESTAMP
);
CREATE INDEX statuses_actor ON statuses (actor_id, id);
CREATE INDEX statuses_community ON statuses (community_id, id);
CREATE INDEX statuses_thread ON statuses (thread_root_id, id);
CREATE INDEX statuses_reply ON statuses (in_reply_to_id);
CREATE INDEX statuses_reblog ON statuses (reblog_of_id);

CREATE TABLE favourites (
    id BIGINT PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    ap_id TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (actor_id, status_id)
);
CREATE INDEX favourites_status ON favourites (status_id);

CREATE TABLE oauth_apps (
    id BIGINT PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    client_secret_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    website TEXT,
    redirect_uris TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Authorization codes: single use, short-lived, stored hashed.
CREATE TABLE oauth_codes (
    code_hash TEXT PRIMARY KEY,
    app_id BIGINT NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    code_challenge TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

-- Access tokens (and their refresh tokens), stored hashed.
CREATE TABLE oauth_tokens (
    id BIGINT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    refresh_hash TEXT UNIQUE,
    app_id BIGINT NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    scopes TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX oauth_tokens_user ON oauth_tokens (user_id);

-- Ids of activities already received, so a replay does nothing.
CREATE TABLE received_activities (
    ap_id TEXT PRIMARY KEY,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX received_activities_at ON received_activities (received_at);
