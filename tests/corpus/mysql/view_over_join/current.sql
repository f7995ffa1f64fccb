CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL);
CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, customer_id INT NOT NULL, total INT NOT NULL,
  CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id));
CREATE VIEW customer_totals AS SELECT c.id, c.name, SUM(o.total) AS total
  FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name;
