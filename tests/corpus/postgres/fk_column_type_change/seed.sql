INSERT INTO accounts VALUES (1), (2);
INSERT INTO payments VALUES (1, 1), (2, 1), (3, 2);
