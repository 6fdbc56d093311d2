-- E-mail. An address is confirmed once its owner opened a link mailed to it
-- (or an administrator made the account); mail goes only to confirmed ones.
ALTER TABLE users ADD COLUMN email_confirmed_at TIMESTAMP;
-- Addresses accepted before mail existed count as confirmed: their accounts
-- would otherwise be locked out once mail is turned on.
UPDATE users SET email_confirmed_at = created_at;
-- When the person last used an app or the web (to the minute): alerts they
-- have seen there are not mailed.
ALTER TABLE users ADD COLUMN last_active_at TIMESTAMP;
-- The community a notification is about (a request to join it, a report in it).
ALTER TABLE notifications ADD COLUMN community_id BIGINT REFERENCES actors (id) ON DELETE CASCADE;
-- An invitation sent by e-mail: signing up with it at that address confirms it.
ALTER TABLE invites ADD COLUMN email TEXT;

-- What mail each person wants. `alerted_until`: notifications up to this id
-- have been mailed or seen. `unsubscribe_key`: the secret of the links that
-- turn a kind of mail off without signing in (it can do nothing else).
CREATE TABLE email_settings (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    mentions BOOLEAN NOT NULL DEFAULT TRUE,
    direct_messages BOOLEAN NOT NULL DEFAULT TRUE,
    follows BOOLEAN NOT NULL DEFAULT TRUE,
    join_requests BOOLEAN NOT NULL DEFAULT TRUE,
    reports BOOLEAN NOT NULL DEFAULT TRUE,
    event_reminders BOOLEAN NOT NULL DEFAULT TRUE,
    digest TEXT NOT NULL DEFAULT 'weekly',
    digest_sent_at TIMESTAMP,
    alerted_until BIGINT NOT NULL DEFAULT 0,
    unsubscribe_key TEXT NOT NULL UNIQUE
);
-- Existing accounts start with nothing pending: no burst of old alerts.
INSERT INTO email_settings (user_id, alerted_until, digest_sent_at, unsubscribe_key)
SELECT id, COALESCE((SELECT MAX(id) FROM notifications), 0), CURRENT_TIMESTAMP,
       lower(hex(randomblob(32)))
FROM users;

-- Single-use links mailed to people: confirming an address, resetting a
-- password. Stored by their digest.
CREATE TABLE email_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    email TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

-- Mail waiting for the relay, formatted once (its Message-ID fixed), so a
-- retry sends the very same message. Rows leave when the relay takes them;
-- those it refused for good stay, with `failed_at`, for the administrators.
CREATE TABLE outgoing_mail (
    id BIGINT PRIMARY KEY,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    message TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    last_error TEXT,
    failed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX outgoing_mail_due ON outgoing_mail (next_attempt_at);
