CREATE TABLE uploads (id INTEGER PRIMARY KEY, filename TEXT NOT NULL, bytes INTEGER);
CREATE INDEX uploads_filename_idx ON uploads (filename);
