DROP TABLE calendar_feeds;
DROP TABLE event_answers;
DROP TABLE events;
