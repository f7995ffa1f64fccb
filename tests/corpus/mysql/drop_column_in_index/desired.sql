CREATE TABLE addresses (id INT NOT NULL PRIMARY KEY, city VARCHAR(40) NOT NULL,
  street VARCHAR(80), KEY addresses_city_zip_idx (city), UNIQUE KEY addresses_street_uq (street, city));
