DROP TABLE community_partner_domains;
