CREATE TABLE settings (
    id integer PRIMARY KEY,
    value text
);
