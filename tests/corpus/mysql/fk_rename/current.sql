CREATE TABLE parents (id INT NOT NULL PRIMARY KEY);
CREATE TABLE kids (id INT NOT NULL PRIMARY KEY, parent_id INT,
  CONSTRAINT kids_parent_old FOREIGN KEY (parent_id) REFERENCES parents (id));
