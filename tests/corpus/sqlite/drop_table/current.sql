CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE TABLE logs (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), line TEXT);
CREATE INDEX logs_user_idx ON logs (user_id);
