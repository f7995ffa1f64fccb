INSERT INTO ratings (stars, comment, source) VALUES (5, 'great', 'web'), (1, NULL, 'app'), (3, 'ok', 'import');
