INSERT INTO people VALUES (1, 'ann', 'AB12', 'x', 30), (2, 'bob', NULL, NULL, 40);
