CREATE TABLE offices (id INT NOT NULL PRIMARY KEY, zip VARCHAR(10), phone VARCHAR(20), floor SMALLINT NOT NULL DEFAULT 1,
  KEY offices_zip_idx (zip));
