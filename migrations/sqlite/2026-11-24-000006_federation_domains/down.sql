DROP TABLE federation_domains;
