CREATE TABLE staff (id integer PRIMARY KEY, name text NOT NULL, salary numeric(10,2));
CREATE VIEW staff_public AS SELECT id, name FROM staff;
CREATE VIEW staff_private AS SELECT id, name, salary FROM staff;
