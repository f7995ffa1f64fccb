INSERT INTO owners VALUES (1);
INSERT INTO pets VALUES (1, 1, 'rex'), (2, 1, 'tom');
