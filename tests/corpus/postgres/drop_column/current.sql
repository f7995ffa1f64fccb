CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    legacy_code character varying(20),
    weight_g integer NOT NULL DEFAULT 0,
    updated_at timestamp without time zone
);
