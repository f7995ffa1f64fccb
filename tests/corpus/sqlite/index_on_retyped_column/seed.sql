INSERT INTO parcels (zip, weight) VALUES (1000, 3), (2000, 5), (NULL, 1);
