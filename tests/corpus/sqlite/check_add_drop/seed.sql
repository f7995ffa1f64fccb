INSERT INTO stock (qty, sku) VALUES (5, 'a'), (0, 'b');
INSERT INTO prices (amount) VALUES (100), (250);
