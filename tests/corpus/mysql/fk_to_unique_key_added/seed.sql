INSERT INTO customers VALUES (1, 'C-1'), (2, 'C-2');
INSERT INTO orders VALUES (1, 'C-1'), (2, NULL), (3, 'C-2');
