INSERT INTO products (name, price, old_price, category) VALUES ('pen', 2, 3, 'office'), ('mug', 8, NULL, 'kitchen');
