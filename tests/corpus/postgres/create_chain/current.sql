CREATE TABLE noop (
    id integer PRIMARY KEY
);
