INSERT INTO readings VALUES (1, '42', 1, '{"a": 1}', '2024-01-01 00:00:00', 'x'), (2, '-7', 0, NULL, NULL, NULL);
