CREATE TABLE shops (id INT NOT NULL PRIMARY KEY);
CREATE TABLE sales (id INT NOT NULL PRIMARY KEY, shop_id INT NOT NULL, day DATE NOT NULL,
  KEY sales_shop_fk (shop_id), KEY sales_shop_day_idx (shop_id, day),
  CONSTRAINT sales_shop_fk FOREIGN KEY (shop_id) REFERENCES shops (id));
