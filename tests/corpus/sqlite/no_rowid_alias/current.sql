CREATE TABLE currencies (code TEXT PRIMARY KEY, name TEXT, digits INTEGER);
CREATE TABLE legacy_accounts (id INT PRIMARY KEY, currency TEXT REFERENCES currencies (code), opened TEXT);
CREATE TABLE event_log (at TEXT NOT NULL, kind TEXT, detail TEXT);
