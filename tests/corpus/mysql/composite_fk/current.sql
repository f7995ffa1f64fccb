CREATE TABLE regions (country CHAR(2) NOT NULL, code VARCHAR(5) NOT NULL, PRIMARY KEY (country, code));
CREATE TABLE offices (id INT NOT NULL PRIMARY KEY, country CHAR(2), region VARCHAR(5));
