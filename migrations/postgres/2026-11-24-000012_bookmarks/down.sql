DROP INDEX favourites_actor;
DROP TABLE bookmarks;
