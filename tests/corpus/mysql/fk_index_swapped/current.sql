CREATE TABLE owners (id INT NOT NULL PRIMARY KEY);
CREATE TABLE pets (id INT NOT NULL PRIMARY KEY, owner_id INT NOT NULL, name VARCHAR(20),
  KEY pets_owner_name_idx (owner_id, name),
  CONSTRAINT pets_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id));
