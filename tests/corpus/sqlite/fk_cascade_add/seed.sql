INSERT INTO orders (id, placed) VALUES (1, '2026-01-01'), (2, '2026-01-02');
INSERT INTO order_lines (order_id, sku) VALUES (1, 'a'), (1, 'b'), (2, 'c');
