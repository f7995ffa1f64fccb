INSERT INTO orders VALUES (1, 3, 19.99, 'gift wrap', 'ABCD'), (2, 1, 5.00, NULL, NULL);
