CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, email VARCHAR(100) NOT NULL,
  phone VARCHAR(20) NOT NULL DEFAULT '', country CHAR(2), born DATE, vip TINYINT(1),
  KEY customers_country_idx (country));
