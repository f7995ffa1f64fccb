INSERT INTO seats VALUES (1, 'A', 1, 1), (2, 'A', 1, 2), (3, 'B', 2, 1);
