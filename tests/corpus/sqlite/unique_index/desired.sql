CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, phone TEXT, tax_id TEXT);
CREATE UNIQUE INDEX customers_phone_uidx ON customers (phone);
