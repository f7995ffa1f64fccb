CREATE TABLE categories (id INT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL, parent_id INT,
  CONSTRAINT categories_parent_fk FOREIGN KEY (parent_id) REFERENCES categories (id) ON DELETE CASCADE);
