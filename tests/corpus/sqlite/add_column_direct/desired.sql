CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    color TEXT DEFAULT 'yellow',
    score REAL DEFAULT -0.5,
    tag TEXT
);
CREATE INDEX notes_body_idx ON notes (body);
CREATE INDEX notes_tag_idx ON notes (tag);
