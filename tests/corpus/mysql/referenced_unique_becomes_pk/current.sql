CREATE TABLE countries (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, code CHAR(2) NOT NULL,
  UNIQUE KEY countries_code_uq (code));
CREATE TABLE cities (id INT NOT NULL PRIMARY KEY, country CHAR(2) NOT NULL,
  CONSTRAINT cities_country_fk FOREIGN KEY (country) REFERENCES countries (code));
