CREATE TABLE articles (id INTEGER PRIMARY KEY, slug TEXT NOT NULL, legacy_ref TEXT, author TEXT, published INTEGER);
CREATE INDEX articles_legacy_idx ON articles (legacy_ref);
CREATE INDEX articles_author_legacy_idx ON articles (author, legacy_ref);
CREATE UNIQUE INDEX articles_slug_idx ON articles (slug);
