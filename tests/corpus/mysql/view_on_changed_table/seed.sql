INSERT INTO products VALUES (1, 'pen', 2, 10), (2, 'lamp', 30, 0);
