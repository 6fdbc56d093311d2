-- Which HTTP signature scheme a server takes: 'rfc9421' once it has signed to us
-- that way (it verifies what it signs), NULL for draft-cavage, which all take.
-- And when its NodeInfo was last asked for (what software it runs).
ALTER TABLE instances ADD COLUMN signatures TEXT;
ALTER TABLE instances ADD COLUMN nodeinfo_at TIMESTAMP;
