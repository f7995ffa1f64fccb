INSERT INTO metrics VALUES (1, 100, 'a', 0.5, 3), (2, 2000000000, 'b', NULL, 255);
