CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text NOT NULL,
    vip boolean NOT NULL DEFAULT false,
    country text
);
CREATE VIEW vip_customers AS SELECT id, name, country FROM customers WHERE vip;
CREATE VIEW customer_names AS SELECT name FROM vip_customers;
