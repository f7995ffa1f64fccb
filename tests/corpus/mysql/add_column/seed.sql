INSERT INTO items VALUES (1, 'A-1'), (2, 'B-2'), (3, 'C-3');
