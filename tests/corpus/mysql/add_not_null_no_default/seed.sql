INSERT INTO devices VALUES (1, 'pixel'), (2, NULL);
