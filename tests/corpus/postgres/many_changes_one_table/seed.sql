INSERT INTO profiles VALUES (1, 'ann', 'hi', 30, 'x'), (2, 'bob', NULL, 40, NULL);
