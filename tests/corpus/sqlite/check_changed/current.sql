CREATE TABLE ratings (
    id INTEGER PRIMARY KEY,
    stars INTEGER NOT NULL CHECK (stars BETWEEN 0 AND 5),
    comment TEXT CHECK (length(comment) <= 200),
    source TEXT NOT NULL
);
