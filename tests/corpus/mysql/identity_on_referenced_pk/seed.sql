INSERT INTO authors VALUES (1, 'le guin'), (5, 'banks');
INSERT INTO books VALUES (1, 1), (2, 5), (3, NULL);
