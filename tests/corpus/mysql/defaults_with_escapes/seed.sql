INSERT INTO prefs VALUES (1, '/tmp', 'x%', 'l', 'w', '1', 1.5, b'1', 2.5), (2, NULL, NULL, 'm', NULL, NULL, NULL, NULL, NULL);
