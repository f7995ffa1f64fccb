CREATE TABLE addresses (id INT NOT NULL PRIMARY KEY, city VARCHAR(40) NOT NULL, zip VARCHAR(10),
  street VARCHAR(80), KEY addresses_city_zip_idx (city, zip), KEY addresses_zip_idx (zip),
  UNIQUE KEY addresses_street_uq (street, city));
