INSERT INTO authors VALUES (1, 'Ann'), (2, 'Bob');
INSERT INTO books VALUES (1, 1, 2, 'First'), (2, NULL, NULL, 'Anonymous');
