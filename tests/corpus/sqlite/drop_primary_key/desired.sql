CREATE TABLE readings (sensor TEXT NOT NULL, at TEXT NOT NULL, value REAL);
CREATE INDEX readings_sensor_at_idx ON readings (sensor, at);
