CREATE TABLE flags (
    id INTEGER PRIMARY KEY,
    name TEXT,
    weight INTEGER DEFAULT -3,
    ratio REAL DEFAULT 2.5e-1,
    tag BLOB DEFAULT x'00ff',
    quoted TEXT DEFAULT 'it''s',
    enabled INTEGER NOT NULL DEFAULT TRUE,
    hexed INTEGER DEFAULT 0x1F
);
