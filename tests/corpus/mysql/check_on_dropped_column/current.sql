CREATE TABLE ranges (id INT NOT NULL PRIMARY KEY, lo INT CHECK (lo > 0), hi INT,
  CONSTRAINT ranges_order_ck CHECK (hi > lo), CONSTRAINT hi CHECK (hi < 1000));
