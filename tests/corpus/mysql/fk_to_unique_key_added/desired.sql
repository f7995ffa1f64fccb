CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, code VARCHAR(10) NOT NULL,
  CONSTRAINT customers_code_uq UNIQUE (code));
CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, customer_code VARCHAR(10),
  CONSTRAINT orders_customer_fk FOREIGN KEY (customer_code) REFERENCES customers (code)
    ON UPDATE CASCADE);
