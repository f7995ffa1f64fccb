CREATE TABLE publishers (
    id integer PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE books (
    id integer PRIMARY KEY,
    title text NOT NULL,
    publisher_id integer REFERENCES publishers (id) ON DELETE SET NULL
);
CREATE INDEX books_publisher_idx ON books (publisher_id);
