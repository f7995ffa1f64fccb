INSERT INTO cities VALUES (1);
INSERT INTO streets VALUES (1, 1, 'main'), (2, 1, 'high');
