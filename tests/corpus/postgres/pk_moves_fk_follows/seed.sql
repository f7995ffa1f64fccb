INSERT INTO orders VALUES (1, 'O-1'), (2, 'O-2');
INSERT INTO order_lines VALUES (1, 1, 'O-1'), (2, 2, NULL);
