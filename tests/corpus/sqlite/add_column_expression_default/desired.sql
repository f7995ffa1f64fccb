CREATE TABLE uploads (
    id INTEGER PRIMARY KEY,
    filename TEXT NOT NULL,
    bytes INTEGER,
    uploaded_at INTEGER NOT NULL DEFAULT (strftime('%s', 'now')),
    uid TEXT DEFAULT (lower(hex(randomblob(8))))
);
CREATE INDEX uploads_filename_idx ON uploads (filename);
