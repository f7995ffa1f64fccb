CREATE TABLE vendors (id INT NOT NULL PRIMARY KEY, name VARCHAR(40));
CREATE TABLE products (id INT NOT NULL PRIMARY KEY, vendor_id INT, name VARCHAR(40),
  KEY products_vendor_idx (vendor_id),
  CONSTRAINT products_vendor_fk FOREIGN KEY (vendor_id) REFERENCES vendors (id) ON DELETE SET NULL);
CREATE TABLE purchase_orders (id INT NOT NULL PRIMARY KEY, vendor_id INT, amount INT,
  CONSTRAINT purchase_orders_vendor_fk FOREIGN KEY (vendor_id) REFERENCES vendors (id));
