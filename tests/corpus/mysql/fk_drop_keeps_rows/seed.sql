INSERT INTO teams VALUES (1), (2);
INSERT INTO members VALUES (1, 1, NULL), (2, 1, 1), (3, 2, 1);
