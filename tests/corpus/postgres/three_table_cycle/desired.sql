CREATE TABLE x (id integer PRIMARY KEY, y_id integer);
