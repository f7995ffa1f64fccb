CREATE TABLE categories (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, parent_id BIGINT,
  name VARCHAR(40) NOT NULL, KEY categories_parent_name_idx (parent_id, name),
  CONSTRAINT categories_parent_fk FOREIGN KEY (parent_id) REFERENCES categories (id) ON DELETE CASCADE);
