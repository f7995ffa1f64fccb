CREATE TABLE articles (id INTEGER PRIMARY KEY, slug TEXT NOT NULL, author TEXT, published INTEGER);
CREATE INDEX articles_author_idx ON articles (author);
CREATE UNIQUE INDEX articles_slug_idx ON articles (slug);
