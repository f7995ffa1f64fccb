INSERT INTO regions VALUES ('fr', 'idf', 'Ile-de-France'), ('de', 'by', 'Bayern');
INSERT INTO stores VALUES (1, 'fr', 'idf'), (2, 'de', 'by');
