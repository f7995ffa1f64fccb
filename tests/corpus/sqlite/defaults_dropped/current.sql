CREATE TABLE profiles (
    id INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL DEFAULT 'anonymous',
    visits INTEGER DEFAULT 0,
    joined TEXT DEFAULT CURRENT_TIMESTAMP,
    score REAL DEFAULT (1.0 / 3),
    bio TEXT
);
