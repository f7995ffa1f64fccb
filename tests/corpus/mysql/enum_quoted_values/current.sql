CREATE TABLE answers (id INT NOT NULL PRIMARY KEY, choice ENUM('yes','no') NOT NULL DEFAULT 'no',
  tags SET('a','b'));
