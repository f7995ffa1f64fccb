CREATE TABLE users (id INT NOT NULL PRIMARY KEY, name VARCHAR(40));
CREATE TABLE legacy_scores (user_id INT NOT NULL PRIMARY KEY, score INT);
CREATE VIEW user_scores AS SELECT u.id, u.name, s.score FROM users u LEFT JOIN legacy_scores s ON s.user_id = u.id;
CREATE VIEW top_users AS SELECT id, name FROM user_scores WHERE score > 10;
CREATE VIEW user_names AS SELECT name FROM users;
