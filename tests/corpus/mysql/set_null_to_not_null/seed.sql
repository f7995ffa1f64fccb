INSERT INTO teams VALUES (1), (2);
INSERT INTO players VALUES (1, 1), (2, 2), (3, 1);
