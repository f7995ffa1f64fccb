CREATE TABLE regions (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT);
CREATE TABLE stores (id INTEGER PRIMARY KEY, region_id INTEGER NOT NULL REFERENCES regions (id) ON DELETE RESTRICT, name TEXT NOT NULL DEFAULT '');
CREATE TABLE audits (id INTEGER PRIMARY KEY, store_id INTEGER REFERENCES stores (id) ON DELETE CASCADE, note TEXT, CHECK (length(note) < 500));
CREATE TABLE managers (id INTEGER PRIMARY KEY, store_id INTEGER UNIQUE REFERENCES stores (id));
CREATE INDEX stores_region_idx ON stores (region_id, name);
CREATE VIEW store_audits AS SELECT s.name, count(a.id) AS n FROM stores s LEFT JOIN audits a ON a.store_id = s.id GROUP BY s.name;
