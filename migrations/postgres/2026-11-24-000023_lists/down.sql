DROP TABLE list_members;
DROP TABLE lists;
