INSERT INTO orders VALUES (1, 10, 1), (2, 20, 0);
INSERT INTO paid_orders VALUES (1, 10);
