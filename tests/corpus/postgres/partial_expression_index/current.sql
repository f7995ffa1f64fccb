CREATE TABLE people (
    id integer PRIMARY KEY,
    email text NOT NULL,
    last_name text,
    first_name text,
    tags text[],
    deleted_at timestamp with time zone
);
CREATE INDEX people_last_name_idx ON people (last_name);
