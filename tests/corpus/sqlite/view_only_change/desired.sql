CREATE TABLE staff (id INTEGER PRIMARY KEY, name TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW active_staff AS SELECT id, name, active FROM staff WHERE active <> 0;
