CREATE TABLE accounts (
    id integer PRIMARY KEY,
    display_name text,
    phone text NOT NULL,
    region character varying(10) NOT NULL
);
