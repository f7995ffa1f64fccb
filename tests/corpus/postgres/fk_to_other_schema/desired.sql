CREATE SCHEMA "Ref Data";
CREATE TABLE "Ref Data".currencies (code char(3) PRIMARY KEY, name text);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    currency char(3) REFERENCES "Ref Data".currencies (code) ON DELETE RESTRICT
);
CREATE TABLE refunds (
    id integer PRIMARY KEY,
    order_id integer NOT NULL REFERENCES orders (id),
    currency char(3) NOT NULL REFERENCES "Ref Data".currencies (code)
);
