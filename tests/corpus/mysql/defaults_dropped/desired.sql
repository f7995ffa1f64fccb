CREATE TABLE jobs (id INT NOT NULL PRIMARY KEY, queue VARCHAR(20) NOT NULL,
  attempts INT NOT NULL, run_at DATETIME NOT NULL, token VARCHAR(36), priority SMALLINT,
  payload TEXT, kind ENUM('a','b') NOT NULL);
