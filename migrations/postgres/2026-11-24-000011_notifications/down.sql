DROP TABLE markers;
DROP TABLE notifications;
