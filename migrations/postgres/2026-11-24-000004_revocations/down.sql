DROP TABLE community_blocked_domains;
