CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, email VARCHAR(100),
  phone VARCHAR(20) DEFAULT NULL, country CHAR(2) NOT NULL DEFAULT 'US', born DATE NOT NULL,
  vip TINYINT(1) NOT NULL DEFAULT 0, KEY customers_country_idx (country));
