INSERT INTO tags_posts VALUES (1, 'sql', 'ann'), (1, 'c', 'ann'), (2, 'sql', NULL);
