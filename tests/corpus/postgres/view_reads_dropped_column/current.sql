CREATE TABLE staff (id integer PRIMARY KEY, name text NOT NULL, salary numeric(10,2), ssn text);
CREATE VIEW staff_public AS SELECT id, name FROM staff;
CREATE VIEW staff_private AS SELECT id, name, salary, ssn FROM staff;
