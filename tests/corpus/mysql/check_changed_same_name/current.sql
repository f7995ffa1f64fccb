CREATE TABLE products (id INT NOT NULL PRIMARY KEY, price INT NOT NULL, discount INT NOT NULL DEFAULT 0,
  stock INT,
  CONSTRAINT products_price_ck CHECK (price >= 0),
  CONSTRAINT products_discount_ck CHECK (discount BETWEEN 0 AND 50),
  CONSTRAINT products_stock_ck CHECK (stock IS NULL OR stock >= 0));
