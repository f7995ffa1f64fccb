INSERT INTO places VALUES (1, 'here', ST_GeomFromText('POINT(1 2)')), (2, 'there', POINT(3, 4));
