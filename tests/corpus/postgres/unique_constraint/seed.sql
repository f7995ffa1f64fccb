INSERT INTO members VALUES (1, 'ann@example.com', 'ann', 1), (2, 'bob@example.com', 'bob', 1);
