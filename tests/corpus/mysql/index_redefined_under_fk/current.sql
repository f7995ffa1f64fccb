CREATE TABLE cities (id INT NOT NULL PRIMARY KEY);
CREATE TABLE streets (id INT NOT NULL PRIMARY KEY, city_id INT NOT NULL, name VARCHAR(40) NOT NULL,
  KEY streets_city_name_idx (city_id, name),
  CONSTRAINT streets_city_fk FOREIGN KEY (city_id) REFERENCES cities (id));
