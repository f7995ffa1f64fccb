CREATE TABLE readings (sensor TEXT NOT NULL, at TEXT NOT NULL, value REAL, PRIMARY KEY (sensor, at));
