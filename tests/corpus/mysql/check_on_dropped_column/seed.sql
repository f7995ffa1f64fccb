INSERT INTO ranges VALUES (1, 1, 5), (2, 10, 20);
