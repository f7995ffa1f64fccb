INSERT INTO feelings VALUES (1, 'ok', '{ok,meh}', 's'), (2, 'meh', NULL, NULL);
