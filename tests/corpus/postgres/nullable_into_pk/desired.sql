CREATE TABLE stock (warehouse text NOT NULL, sku text NOT NULL, qty integer NOT NULL DEFAULT 0, PRIMARY KEY (warehouse, sku));
