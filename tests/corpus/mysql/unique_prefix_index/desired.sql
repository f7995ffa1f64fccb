CREATE TABLE articles (id INT NOT NULL PRIMARY KEY, slug VARCHAR(100) NOT NULL,
  title VARCHAR(200) NOT NULL, body TEXT, lang CHAR(2) NOT NULL DEFAULT 'en',
  CONSTRAINT articles_slug_uq UNIQUE (lang, slug),
  KEY articles_title_prefix (title(10), id DESC),
  KEY articles_body_prefix (body(32)),
  UNIQUE KEY `select` (title));
