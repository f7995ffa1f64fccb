INSERT INTO tasks VALUES (1, 'a1b2', '2025-01-01', 'write', 1.0), (2, 'c3d4', NULL, 'test', NULL);
