INSERT INTO shipments VALUES (1), (2);
