INSERT INTO sales VALUES (1, 'north', 500), (2, 'north', 700), (3, 'south', 50);
