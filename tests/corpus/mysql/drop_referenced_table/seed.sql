INSERT INTO vendors VALUES (1, 'acme');
INSERT INTO products VALUES (1, NULL, 'bolt'), (2, NULL, 'nut');
INSERT INTO purchase_orders VALUES (1, NULL, 100);
