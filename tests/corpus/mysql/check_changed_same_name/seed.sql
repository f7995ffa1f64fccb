INSERT INTO products VALUES (1, 100, 10, NULL), (2, 5, 0, 7);
