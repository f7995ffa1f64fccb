CREATE TABLE authors (id INT NOT NULL PRIMARY KEY, name VARCHAR(50));
CREATE TABLE books (id INT NOT NULL PRIMARY KEY, author_id INT, editor_id INT,
  CONSTRAINT books_author_fk FOREIGN KEY (author_id) REFERENCES authors (id)
    ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT books_editor_fk FOREIGN KEY (editor_id) REFERENCES authors (id) ON DELETE RESTRICT);
