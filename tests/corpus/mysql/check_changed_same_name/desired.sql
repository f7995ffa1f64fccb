CREATE TABLE products (id INT NOT NULL PRIMARY KEY, price INT NOT NULL, discount INT NOT NULL DEFAULT 0,
  stock INT,
  CONSTRAINT products_price_ck CHECK (price > 0),
  CONSTRAINT products_discount_ck CHECK (discount BETWEEN 0 AND 90),
  CONSTRAINT products_discount_lt_price CHECK (discount < price));
