CREATE TABLE authors (id INT NOT NULL PRIMARY KEY, name VARCHAR(40));
CREATE TABLE books (id INT NOT NULL PRIMARY KEY, author_id INT,
  CONSTRAINT books_author_fk FOREIGN KEY (author_id) REFERENCES authors (id));
