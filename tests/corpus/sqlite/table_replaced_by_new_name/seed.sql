INSERT INTO clients VALUES (1, 'acme'), (2, 'globex');
INSERT INTO projects (client_id, title) VALUES (1, 'site'), (2, 'app'), (NULL, 'internal');
