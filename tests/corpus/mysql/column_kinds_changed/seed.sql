INSERT INTO profiles (id, bio, initials, visits) VALUES (1, 'hello', 'AB', 3), (2, NULL, NULL, NULL);
