INSERT INTO a VALUES (1), (2);
INSERT INTO old_stuff VALUES (1, 'x');
