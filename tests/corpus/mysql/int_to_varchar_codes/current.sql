CREATE TABLE offices (id INT NOT NULL PRIMARY KEY, zip INT, phone BIGINT, floor VARCHAR(4) NOT NULL DEFAULT '1',
  KEY offices_zip_idx (zip));
