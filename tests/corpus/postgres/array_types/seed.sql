INSERT INTO series VALUES (1, '{1,2,3}', '{a,b}'), (2, '{}', NULL);
