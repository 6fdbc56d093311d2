-- Invitations to sign up (registration.mode = "invite"), by the SHA-256 of
-- their code. No limit when max_uses or expires_at is NULL.
CREATE TABLE invites (
    id BIGINT PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    max_uses INTEGER,
    uses INTEGER NOT NULL DEFAULT 0,
    expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
