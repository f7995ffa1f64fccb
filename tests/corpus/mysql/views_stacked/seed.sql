INSERT INTO readings VALUES (1, 'kitchen', 21), (2, 'kitchen', 23), (3, 'garage', -4), (4, 'garage', 9);
