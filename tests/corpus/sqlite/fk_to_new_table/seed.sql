INSERT INTO things (category_id, label) VALUES (NULL, 'a'), (NULL, 'b');
