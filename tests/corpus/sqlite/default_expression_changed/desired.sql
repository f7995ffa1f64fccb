CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL DEFAULT (lower(hex(randomblob(32)))),
    expires_at INTEGER DEFAULT (strftime('%s', 'now') + 86400),
    lang TEXT DEFAULT 'en-US'
);
