CREATE TABLE series (id integer PRIMARY KEY, points bigint[] NOT NULL DEFAULT '{}', names text[]);
