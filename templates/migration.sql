-- +borch up
-- The change: write the SQL that moves the schema forward here, e.g.
-- CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL);

-- +borch down
-- The undo: write the SQL that brings the schema back to how it was, e.g.
-- DROP TABLE things;
