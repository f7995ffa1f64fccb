INSERT INTO readings (sensor, value, at) VALUES ('t1', 21.5, '10:00'), ('t1', -300, '10:05'), ('t2', NULL, '10:00');
