CREATE TABLE codes (id integer PRIMARY KEY, code text NOT NULL, zip integer);
