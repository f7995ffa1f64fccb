CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    signup_source character varying(20) NOT NULL DEFAULT 'web',
    karma integer NOT NULL DEFAULT 0 CHECK (karma >= 0)
);
