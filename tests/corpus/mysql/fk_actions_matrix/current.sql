CREATE TABLE customers (id INT NOT NULL PRIMARY KEY);
CREATE TABLE shippers (id INT NOT NULL PRIMARY KEY);
CREATE TABLE coupons (code VARCHAR(12) NOT NULL PRIMARY KEY);
CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, customer_id INT NOT NULL, shipper_id INT,
  coupon_code VARCHAR(12),
  CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
  CONSTRAINT orders_shipper_fk FOREIGN KEY (shipper_id) REFERENCES shippers (id) ON DELETE SET NULL,
  CONSTRAINT orders_coupon_fk FOREIGN KEY (coupon_code) REFERENCES coupons (code)
    ON DELETE RESTRICT ON UPDATE CASCADE);
