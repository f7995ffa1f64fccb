CREATE TABLE legacy_users (id INT PRIMARY KEY NOT NULL, login TEXT NOT NULL, created TEXT);
CREATE INDEX legacy_users_login_idx ON legacy_users (login);
