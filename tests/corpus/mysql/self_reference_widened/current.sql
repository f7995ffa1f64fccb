CREATE TABLE categories (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, parent_id INT,
  name VARCHAR(40) NOT NULL,
  CONSTRAINT categories_parent_fk FOREIGN KEY (parent_id) REFERENCES categories (id) ON DELETE SET NULL);
