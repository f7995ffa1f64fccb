INSERT INTO polls VALUES (1, 'yes'), (2, 'no'), (3, NULL);
