CREATE TABLE readings (id INT NOT NULL PRIMARY KEY, sensor VARCHAR(20) NOT NULL, value INT NOT NULL);
CREATE VIEW v_valid AS SELECT id, sensor, value FROM readings WHERE value >= 0;
CREATE VIEW v_by_sensor AS SELECT sensor, AVG(value) AS avg_value FROM v_valid GROUP BY sensor;
CREATE VIEW v_report AS SELECT s.sensor, s.avg_value, COUNT(r.id) AS n
  FROM v_by_sensor s JOIN readings r ON r.sensor = s.sensor GROUP BY s.sensor, s.avg_value;
