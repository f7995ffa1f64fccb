CREATE TABLE customers (
    id integer PRIMARY KEY,
    name character varying(50) NOT NULL,
    vip boolean NOT NULL DEFAULT false,
    city text
);
CREATE VIEW vip_customers AS SELECT id, name, city FROM customers WHERE vip;
CREATE VIEW customer_names AS SELECT name FROM vip_customers;
