CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT 'untitled',
    body TEXT,
    UNIQUE (user_id, title)
);
CREATE INDEX posts_user_idx ON posts (user_id);
