INSERT INTO rooms VALUES (1, 'Blue'), (2, 'Green');
