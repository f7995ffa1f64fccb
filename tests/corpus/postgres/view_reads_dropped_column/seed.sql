INSERT INTO staff VALUES (1, 'Ann', 5000, '123'), (2, 'Bob', NULL, NULL);
