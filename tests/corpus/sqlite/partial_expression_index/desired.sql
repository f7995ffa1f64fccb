CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, payload TEXT, done INTEGER NOT NULL DEFAULT 0);
CREATE INDEX events_kind_idx ON events (kind) WHERE done = 0;
CREATE INDEX events_lower_kind_idx ON events (lower(kind), id);
CREATE UNIQUE INDEX events_open_payload_idx ON events (payload) WHERE done = 0 AND payload IS NOT NULL;
