CREATE TABLE prices (id integer PRIMARY KEY, amount numeric(14,4) NOT NULL DEFAULT 0.0000, rate double precision, plain numeric(20,6));
