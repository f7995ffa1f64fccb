INSERT INTO regions VALUES ('de', 'BY'), ('de', 'BE');
INSERT INTO offices VALUES (1, 'de', 'BY'), (2, NULL, NULL);
