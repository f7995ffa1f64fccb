CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id), note text);
CREATE VIEW a_with_b AS SELECT a.id, b.note FROM a LEFT JOIN b ON b.a_id = a.id;
