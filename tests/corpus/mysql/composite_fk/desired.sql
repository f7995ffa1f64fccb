CREATE TABLE regions (country CHAR(2) NOT NULL, code VARCHAR(5) NOT NULL, PRIMARY KEY (country, code));
CREATE TABLE offices (id INT NOT NULL PRIMARY KEY, country CHAR(2), region VARCHAR(5),
  CONSTRAINT offices_region_fk FOREIGN KEY (country, region) REFERENCES regions (country, code)
    ON DELETE SET NULL ON UPDATE CASCADE);
