INSERT INTO owners VALUES (0), (1);
INSERT INTO pets VALUES (1, 1), (2, 0);
