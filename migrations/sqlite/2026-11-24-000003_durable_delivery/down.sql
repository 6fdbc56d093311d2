DROP TABLE destinations;
DROP TABLE deliveries;
DROP TABLE outbox_activities;
DROP TABLE outbox_events;
