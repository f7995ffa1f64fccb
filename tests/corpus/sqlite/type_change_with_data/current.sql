CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    total TEXT,
    paid INTEGER NOT NULL DEFAULT 0,
    issued VARCHAR(10),
    memo CHAR(40)
);
