CREATE TABLE products (id INT NOT NULL PRIMARY KEY, name VARCHAR(120) NOT NULL,
  price DECIMAL(10,2) NOT NULL, stock INT NOT NULL DEFAULT 0);
CREATE VIEW cheap_products AS SELECT id, name, price FROM products WHERE price < 20;
CREATE VIEW in_stock AS SELECT id, name FROM products WHERE stock > 0;
CREATE VIEW product_names AS SELECT name FROM cheap_products;
