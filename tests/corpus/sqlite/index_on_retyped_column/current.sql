CREATE TABLE parcels (id INTEGER PRIMARY KEY, zip INTEGER, weight INTEGER NOT NULL);
CREATE INDEX parcels_zip_idx ON parcels (zip);
CREATE UNIQUE INDEX parcels_zip_weight_idx ON parcels (zip, weight) WHERE zip IS NOT NULL;
