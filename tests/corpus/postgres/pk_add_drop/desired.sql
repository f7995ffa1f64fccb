CREATE TABLE events (
    id integer NOT NULL,
    name text,
    PRIMARY KEY (id)
);
CREATE TABLE tags (
    tag text NOT NULL
);
