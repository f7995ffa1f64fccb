CREATE TABLE currencies (code TEXT PRIMARY KEY, name TEXT NOT NULL, digits INTEGER NOT NULL DEFAULT 2, symbol TEXT);
CREATE TABLE legacy_accounts (id INT PRIMARY KEY, currency TEXT NOT NULL REFERENCES currencies (code) ON UPDATE CASCADE, opened DATE);
CREATE TABLE event_log (at TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'info', detail TEXT);
CREATE INDEX event_log_at_idx ON event_log (at);
