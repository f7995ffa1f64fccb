INSERT INTO events VALUES (1, 'a'), (2, NULL);
INSERT INTO tags VALUES ('red'), ('blue');
