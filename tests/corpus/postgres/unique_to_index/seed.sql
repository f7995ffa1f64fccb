INSERT INTO slugs VALUES (1, 'home', 'a'), (2, 'about', 'a');
