CREATE TABLE readings (id INT NOT NULL PRIMARY KEY, sensor VARCHAR(40) NOT NULL, value DOUBLE NOT NULL,
  unit VARCHAR(5) NOT NULL DEFAULT 'C');
CREATE VIEW v_valid AS SELECT id, sensor, value, unit FROM readings WHERE value >= 0;
CREATE VIEW v_by_sensor AS SELECT sensor, AVG(value) AS avg_value FROM v_valid GROUP BY sensor;
CREATE VIEW v_report AS SELECT s.sensor, s.avg_value, COUNT(r.id) AS n, MAX(r.value) AS top
  FROM v_by_sensor s JOIN readings r ON r.sensor = s.sensor GROUP BY s.sensor, s.avg_value;
CREATE VIEW v_top AS SELECT sensor, top FROM v_report WHERE n > 1;
