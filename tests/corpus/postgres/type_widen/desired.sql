CREATE TABLE orders (
    id bigint PRIMARY KEY,
    quantity integer NOT NULL,
    total numeric(12,2) NOT NULL DEFAULT 0,
    note character varying(200),
    code text
);
