CREATE TABLE orders (id INT NOT NULL AUTO_INCREMENT, region CHAR(2) NOT NULL DEFAULT 'eu',
  total INT NOT NULL, PRIMARY KEY (id, region));
CREATE TABLE tags (post_id INT NOT NULL, tag VARCHAR(30) NOT NULL, weight INT NOT NULL DEFAULT 0,
  PRIMARY KEY (tag, post_id, weight));
