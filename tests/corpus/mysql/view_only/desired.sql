CREATE TABLE readings (id INT NOT NULL PRIMARY KEY, value INT NOT NULL);
CREATE VIEW high_readings AS SELECT id, value, value * 2 AS doubled FROM readings WHERE value > 50;
CREATE VIEW `all readings` AS SELECT * FROM readings;
