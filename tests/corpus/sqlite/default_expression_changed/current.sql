CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL DEFAULT (lower(hex(randomblob(16)))),
    expires_at INTEGER DEFAULT (strftime('%s', 'now') + 3600),
    lang TEXT DEFAULT ('en' || '-' || 'US')
);
