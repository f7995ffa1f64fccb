CREATE TABLE pages (id INT NOT NULL PRIMARY KEY, url VARCHAR(500) NOT NULL, title VARCHAR(200) NOT NULL,
  body TEXT, KEY pages_url_idx (url(191)), UNIQUE KEY pages_title_uq (title(50), id),
  KEY pages_title_body_idx (title(30), body(30)));
