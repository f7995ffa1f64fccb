CREATE TABLE articles (id INT NOT NULL PRIMARY KEY, slug VARCHAR(100) NOT NULL,
  title VARCHAR(200) NOT NULL, body TEXT, lang CHAR(2) NOT NULL DEFAULT 'en',
  KEY articles_lang_idx (lang));
