CREATE TABLE tickets (id INT NOT NULL PRIMARY KEY,
  status ENUM('open','closed') NOT NULL DEFAULT 'open', priority ENUM('low','high'),
  labels SET('bug','ui','docs') NOT NULL DEFAULT '');
