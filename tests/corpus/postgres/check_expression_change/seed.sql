INSERT INTO ranges VALUES (1, 0, 0), (2, 1, 5);
