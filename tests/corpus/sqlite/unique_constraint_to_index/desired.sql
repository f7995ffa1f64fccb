CREATE TABLE licenses (id INTEGER PRIMARY KEY, product TEXT NOT NULL, license_key TEXT NOT NULL, seat INTEGER);
CREATE UNIQUE INDEX licenses_key_idx ON licenses (license_key);
CREATE INDEX licenses_product_seat_idx ON licenses (product, seat);
