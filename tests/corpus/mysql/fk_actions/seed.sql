INSERT INTO authors VALUES (1, 'ann'), (2, 'bob');
INSERT INTO books VALUES (1, 1, 2), (2, 2, NULL), (3, NULL, 1);
