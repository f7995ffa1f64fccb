INSERT INTO articles (slug, legacy_ref, author, published) VALUES ('hello', 'L-1', 'ann', 1), ('world', NULL, 'bob', 0);
