CREATE TABLE regions (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE stores (id INTEGER PRIMARY KEY, region_id INTEGER REFERENCES regions (id), name TEXT);
CREATE TABLE audits (id INTEGER PRIMARY KEY, store_id INTEGER, note TEXT);
CREATE TABLE obsolete (id INTEGER PRIMARY KEY);
CREATE INDEX stores_region_idx ON stores (region_id);
