CREATE TABLE countries (code CHAR(2) NOT NULL PRIMARY KEY, name VARCHAR(40));
CREATE TABLE cities (id INT NOT NULL PRIMARY KEY, country CHAR(2) NOT NULL,
  CONSTRAINT cities_country_fk FOREIGN KEY (country) REFERENCES countries (code));
