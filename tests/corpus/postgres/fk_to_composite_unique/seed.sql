INSERT INTO versions VALUES (1, 'a', 1), (2, 'a', 2);
INSERT INTO reviews VALUES (1, 'a', 2), (2, NULL, NULL);
