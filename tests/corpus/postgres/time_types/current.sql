CREATE TABLE slots (id integer PRIMARY KEY, day date NOT NULL, starts time without time zone, lasts integer);
