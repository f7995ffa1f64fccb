CREATE TABLE products (id INT NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL, price INT NOT NULL,
  stock INT NOT NULL DEFAULT 0);
CREATE VIEW cheap_products AS SELECT id, name, price FROM products WHERE price < 10;
CREATE VIEW in_stock AS SELECT id, name FROM products WHERE stock > 0;
