INSERT INTO orders VALUES (1, '2024-01-01'), (2, '2024-01-02');
INSERT INTO order_items VALUES (1, 1, 'A', 2), (1, 2, 'B', 1), (2, 1, 'A', 5);
