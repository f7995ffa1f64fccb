INSERT INTO memberships VALUES (1, 1, 7), (1, 2, 8), (2, 1, 9);
