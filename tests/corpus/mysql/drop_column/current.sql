CREATE TABLE people (id INT NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL,
  legacy_code CHAR(4), notes TEXT, age INT NOT NULL DEFAULT 0, KEY people_code_idx (legacy_code));
