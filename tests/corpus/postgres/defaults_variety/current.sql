CREATE TABLE docs (
    id integer PRIMARY KEY
);
