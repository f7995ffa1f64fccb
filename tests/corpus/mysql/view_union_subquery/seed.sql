INSERT INTO staff VALUES (1, 'ann', 'eng'), (2, 'bob', 'eng'), (3, 'cy', 'ops');
INSERT INTO contractors VALUES (1, 'dee', 'acme');
