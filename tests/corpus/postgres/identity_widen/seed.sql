INSERT INTO clicks (url) VALUES ('/a'), ('/b');
