CREATE TABLE users (id INT NOT NULL PRIMARY KEY, name VARCHAR(50));
CREATE TABLE audit_log (id INT NOT NULL PRIMARY KEY, user_id INT, what TEXT,
  CONSTRAINT audit_user_fk FOREIGN KEY (user_id) REFERENCES users (id));
