INSERT INTO skus (code, name) VALUES ('A-1', 'bolt'), ('B-2', 'nut');
INSERT INTO stock_moves (sku_code, qty) VALUES ('A-1', 10), ('A-1', -3), ('B-2', 5);
