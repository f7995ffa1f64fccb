INSERT INTO orders VALUES (1, 5), (2, 7);
INSERT INTO new_orders VALUES (1);
