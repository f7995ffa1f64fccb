CREATE TABLE staff (id INTEGER PRIMARY KEY, name TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW active_staff AS SELECT id, name FROM staff WHERE active = 1;
CREATE VIEW old_view AS SELECT count(*) AS n FROM staff;
