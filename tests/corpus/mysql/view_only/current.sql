CREATE TABLE readings (id INT NOT NULL PRIMARY KEY, value INT NOT NULL);
CREATE VIEW high_readings AS SELECT id, value FROM readings WHERE value > 100;
