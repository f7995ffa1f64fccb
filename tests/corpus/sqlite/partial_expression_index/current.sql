CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, payload TEXT, done INTEGER NOT NULL DEFAULT 0);
CREATE INDEX events_kind_idx ON events (kind);
