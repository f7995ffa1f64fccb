CREATE TABLE customers (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(80) NOT NULL);
CREATE TABLE invoices (id INT NOT NULL PRIMARY KEY, customer_id BIGINT, amount INT,
  CONSTRAINT invoices_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id));
