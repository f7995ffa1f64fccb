CREATE TABLE metrics (id integer PRIMARY KEY, name text NOT NULL, value bigint NOT NULL);
CREATE VIEW m1 AS SELECT id, name, value FROM metrics;
CREATE VIEW m2 AS SELECT name, value * 2 AS doubled FROM m1;
CREATE VIEW m3 AS SELECT name FROM m2 WHERE doubled > 10;
