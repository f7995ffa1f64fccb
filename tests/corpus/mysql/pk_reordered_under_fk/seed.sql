INSERT INTO stores VALUES (1), (2);
INSERT INTO stock VALUES (1, 'A', 3), (2, 'A', 0), (1, 'B', 7);
