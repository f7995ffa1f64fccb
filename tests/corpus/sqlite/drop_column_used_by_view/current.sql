CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL, old_price INTEGER, category TEXT);
CREATE VIEW product_list AS SELECT id, name, price, old_price FROM products;
CREATE VIEW categories AS SELECT DISTINCT category FROM products;
