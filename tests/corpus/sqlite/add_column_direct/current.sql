CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE INDEX notes_body_idx ON notes (body);
