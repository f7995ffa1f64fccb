CREATE TABLE readings (id INTEGER PRIMARY KEY, sensor TEXT NOT NULL, value REAL, at TEXT);
CREATE VIEW valid_readings AS SELECT sensor, value, at FROM readings WHERE value IS NOT NULL AND value > -273.15;
CREATE VIEW sensor_stats AS SELECT sensor, avg(value) AS mean, count(*) AS n FROM valid_readings GROUP BY sensor;
