CREATE TABLE users (id INT NOT NULL PRIMARY KEY, name VARCHAR(40), score INT NOT NULL DEFAULT 0);
CREATE VIEW user_scores AS SELECT u.id, u.name, u.score FROM users u;
CREATE VIEW user_names AS SELECT name FROM users;
