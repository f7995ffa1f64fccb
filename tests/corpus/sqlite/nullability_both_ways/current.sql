CREATE TABLE shipments (
    id INTEGER PRIMARY KEY,
    tracking TEXT,
    carrier TEXT NOT NULL,
    shipped_at TEXT NOT NULL,
    weight_grams INTEGER
);
CREATE INDEX shipments_tracking_idx ON shipments (tracking);
