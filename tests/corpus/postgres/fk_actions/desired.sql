CREATE TABLE authors (
    id integer PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE books (
    id integer PRIMARY KEY,
    author_id integer,
    editor_id integer,
    title text NOT NULL,
    CONSTRAINT books_author_fk FOREIGN KEY (author_id) REFERENCES authors (id)
        ON DELETE SET NULL ON UPDATE CASCADE
);
