-- Federation lists edited at runtime by administrators (the admin API), on top of
-- the ones in config.toml, which always apply. `list` is allow, block or partner;
-- `pattern` is a host (partner.example), a host and port, or *.suffix.
CREATE TABLE federation_domains (
    list TEXT NOT NULL,
    pattern TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (list, pattern)
);
