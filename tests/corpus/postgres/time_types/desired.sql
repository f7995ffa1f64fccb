CREATE TABLE slots (id integer PRIMARY KEY, day timestamp without time zone NOT NULL, starts time with time zone, lasts bigint);
