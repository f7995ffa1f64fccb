CREATE TABLE events (
    id integer NOT NULL,
    name text
);
CREATE TABLE tags (
    tag text NOT NULL,
    CONSTRAINT tags_pkey PRIMARY KEY (tag)
);
