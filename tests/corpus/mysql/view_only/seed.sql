INSERT INTO readings VALUES (1, 10), (2, 200);
