CREATE TABLE ratings (
    id INTEGER PRIMARY KEY,
    stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment TEXT CHECK (length(comment) <= 1000),
    source TEXT NOT NULL CHECK (source IN ('web', 'app', 'import'))
);
