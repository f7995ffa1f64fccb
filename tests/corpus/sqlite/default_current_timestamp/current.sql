CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    created_at TEXT,
    updated_at TEXT DEFAULT CURRENT_TIMESTAMP
);
