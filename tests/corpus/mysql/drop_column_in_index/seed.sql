INSERT INTO addresses VALUES (1, 'Berlin', '10115', 'Main 1'), (2, 'Berlin', NULL, 'Main 2'),
  (3, 'Paris', '75001', NULL);
