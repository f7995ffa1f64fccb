CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    total NUMERIC(12, 2),
    paid BOOLEAN NOT NULL DEFAULT 0,
    issued DATE,
    memo TEXT
);
