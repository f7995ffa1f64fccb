CREATE TABLE prices (id integer PRIMARY KEY, amount numeric(10,2) NOT NULL DEFAULT 0.00, rate real, plain numeric);
