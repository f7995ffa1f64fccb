INSERT INTO skus VALUES (1, 'A-1', 'bolt'), (2, 'B-2', 'nut');
INSERT INTO moves (sku_code, sku_id, qty) VALUES ('A-1', 1, 5), ('B-2', 2, 3), (NULL, NULL, 1);
