CREATE TABLE people (
    id integer PRIMARY KEY,
    email text NOT NULL,
    last_name text,
    first_name text,
    tags text[],
    deleted_at timestamp with time zone
);
CREATE UNIQUE INDEX people_email_live_idx ON people (lower(email)) WHERE deleted_at IS NULL;
CREATE INDEX people_name_idx ON people (last_name, (lower(first_name)));
CREATE INDEX people_tags_idx ON people USING gin (tags);
CREATE INDEX "People Recent" ON people (deleted_at) WHERE deleted_at > '2020-01-01 00:00:00+00'::timestamp with time zone;
