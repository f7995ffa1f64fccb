CREATE TABLE visits (id INTEGER PRIMARY KEY, site TEXT NOT NULL, day TEXT NOT NULL, path TEXT, hits INTEGER);
CREATE INDEX visits_site_day_idx ON visits (site, day);
CREATE UNIQUE INDEX visits_key_idx ON visits (site, day, path);
