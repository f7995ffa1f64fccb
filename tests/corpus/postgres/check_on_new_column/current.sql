CREATE TABLE rooms (
    id integer PRIMARY KEY,
    name text NOT NULL
);
