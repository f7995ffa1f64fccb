INSERT INTO docs VALUES (1, 'a', 'alpha beta'), (2, NULL, 'gamma');
