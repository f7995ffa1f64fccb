CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL);
CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(10,2) NOT NULL,
  status VARCHAR(10) NOT NULL DEFAULT 'paid',
  CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id));
CREATE VIEW customer_totals AS SELECT c.id, c.name, SUM(o.total) AS total, COUNT(*) AS n
  FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.status <> 'void' GROUP BY c.id, c.name;
