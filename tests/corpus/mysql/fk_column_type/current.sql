CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, name VARCHAR(40));
CREATE TABLE invoices (id INT NOT NULL PRIMARY KEY, customer_id INT NOT NULL,
  CONSTRAINT invoices_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)
    ON DELETE CASCADE);
