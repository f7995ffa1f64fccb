CREATE TABLE legacy_users (id INTEGER PRIMARY KEY, login TEXT NOT NULL, created TEXT);
CREATE UNIQUE INDEX legacy_users_login_idx ON legacy_users (login);
