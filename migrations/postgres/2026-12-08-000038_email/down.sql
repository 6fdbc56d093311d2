DROP TABLE outgoing_mail;
DROP TABLE email_tokens;
DROP TABLE email_settings;
ALTER TABLE invites DROP COLUMN email;
ALTER TABLE notifications DROP COLUMN community_id;
ALTER TABLE users DROP COLUMN last_active_at;
ALTER TABLE users DROP COLUMN email_confirmed_at;
