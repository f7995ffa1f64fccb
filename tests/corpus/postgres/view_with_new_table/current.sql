CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE old_stuff (id integer PRIMARY KEY, x text);
CREATE VIEW old_view AS SELECT x FROM old_stuff;
