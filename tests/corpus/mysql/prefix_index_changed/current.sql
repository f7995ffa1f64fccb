CREATE TABLE pages (id INT NOT NULL PRIMARY KEY, url VARCHAR(500) NOT NULL, title VARCHAR(200) NOT NULL,
  body TEXT, KEY pages_url_idx (url(100)), KEY pages_body_idx (body(20)));
