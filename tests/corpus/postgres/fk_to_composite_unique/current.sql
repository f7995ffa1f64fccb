CREATE TABLE versions (id integer PRIMARY KEY, doc text NOT NULL, rev integer NOT NULL);
CREATE TABLE reviews (id integer PRIMARY KEY, doc text, rev integer);
