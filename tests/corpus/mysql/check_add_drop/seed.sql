INSERT INTO scores VALUES (1, 10, 1, NULL), (2, 20, 5, 50);
