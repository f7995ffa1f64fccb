CREATE TABLE products (id INT NOT NULL PRIMARY KEY, vendor_id INT, name VARCHAR(40),
  KEY products_vendor_idx (vendor_id));
CREATE TABLE purchase_orders (id INT NOT NULL PRIMARY KEY, amount INT);
