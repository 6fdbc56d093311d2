DROP TABLE status_edits;
