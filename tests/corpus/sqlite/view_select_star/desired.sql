CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT NOT NULL, venue TEXT);
CREATE VIEW all_events AS SELECT * FROM events;
CREATE VIEW event_names AS SELECT e.* FROM (SELECT id, name FROM events) e;
