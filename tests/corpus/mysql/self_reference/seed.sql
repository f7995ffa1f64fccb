INSERT INTO categories VALUES (1, 'root'), (2, 'child');
