-- Web Push (RFC 8030/8291/8292): one subscription per access token, as Mastodon.
-- A revoked or erased token, a dismissed notification or an erased person takes
-- its pending pushes with it.
CREATE TABLE push_subscriptions (
    id BIGINT PRIMARY KEY,
    token_id BIGINT NOT NULL UNIQUE REFERENCES oauth_tokens (id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    endpoint TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    -- The notification kinds wanted, comma-separated.
    alerts TEXT NOT NULL,
    -- all, followed, follower or none.
    policy TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX push_subscriptions_actor ON push_subscriptions (actor_id);

-- Pushes not yet accepted by the push service: durable, leased like deliveries.
CREATE TABLE push_deliveries (
    id BIGINT PRIMARY KEY,
    subscription_id BIGINT NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    notification_id BIGINT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX push_deliveries_due ON push_deliveries (next_attempt_at);
CREATE INDEX push_deliveries_subscription ON push_deliveries (subscription_id);
CREATE INDEX push_deliveries_notification ON push_deliveries (notification_id);

-- Keys of the instance itself other than its actor's (the VAPID key), made on
-- first use and shared by every node.
CREATE TABLE instance_keys (
    name TEXT PRIMARY KEY,
    private_key TEXT NOT NULL,
    public_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
