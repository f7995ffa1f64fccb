CREATE TABLE accounts (
    id integer PRIMARY KEY,
    display_name text NOT NULL,
    phone text,
    region character varying(10)
);
