INSERT INTO projects (name) VALUES ('alpha'), ('beta');
INSERT INTO issues VALUES (1, 1), (2, 1), (3, 2);
