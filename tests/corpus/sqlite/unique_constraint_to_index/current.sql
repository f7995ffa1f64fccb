CREATE TABLE licenses (id INTEGER PRIMARY KEY, product TEXT NOT NULL, license_key TEXT NOT NULL, seat INTEGER, UNIQUE (license_key), UNIQUE (product, seat));
