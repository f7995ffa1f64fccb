CREATE TABLE settings (id INTEGER PRIMARY KEY, theme TEXT DEFAULT 'dark', size INTEGER, stamp TEXT DEFAULT (datetime('now')));
