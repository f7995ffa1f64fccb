INSERT INTO jobs VALUES (1, 'low', '{low,high}'), (2, 'high', NULL), (3, 'mid', '{}');
INSERT INTO notes VALUES (1, 'x');
