CREATE TABLE shipments (
    id INTEGER PRIMARY KEY,
    tracking TEXT NOT NULL,
    carrier TEXT,
    shipped_at TEXT,
    weight_grams INTEGER NOT NULL
);
CREATE INDEX shipments_tracking_idx ON shipments (tracking);
