CREATE TABLE vendors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE purchases (
    id INTEGER PRIMARY KEY,
    vendor_id INTEGER,
    approver_id INTEGER REFERENCES vendors (id),
    amount INTEGER NOT NULL
);
CREATE INDEX purchases_vendor_idx ON purchases (vendor_id);
