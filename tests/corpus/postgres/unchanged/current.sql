CREATE TYPE color AS ENUM ('red', 'green');
CREATE TABLE widgets (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    color color,
    parent_id integer REFERENCES widgets (id),
    CHECK (length(name) < 100)
);
CREATE INDEX widgets_lower_idx ON widgets (lower(name)) WHERE color IS NOT NULL;
CREATE VIEW red_widgets AS SELECT id, name FROM widgets WHERE color = 'red';
