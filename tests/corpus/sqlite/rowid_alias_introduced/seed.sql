INSERT INTO legacy_users VALUES (42, 'root', '1999-12-31'), (1001, 'ann', NULL), (7, 'bob', '2010-05-05');
