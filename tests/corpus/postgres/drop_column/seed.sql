INSERT INTO products VALUES (1, 'pen', 'P-1', 12, '2024-01-01 10:00'), (2, 'ink', NULL, 80, NULL);
