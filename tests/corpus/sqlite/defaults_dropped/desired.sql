CREATE TABLE profiles (
    id INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL,
    visits INTEGER,
    joined TEXT,
    score REAL,
    bio TEXT DEFAULT ''
);
