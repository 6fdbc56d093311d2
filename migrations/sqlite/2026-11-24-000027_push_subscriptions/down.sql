DROP TABLE instance_keys;
DROP TABLE push_deliveries;
DROP TABLE push_subscriptions;
