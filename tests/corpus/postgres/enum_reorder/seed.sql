INSERT INTO jobs VALUES (1, 'low', '{low,high}'), (2, 'high', NULL);
