INSERT INTO countries VALUES (1, 'fr'), (2, 'de');
INSERT INTO cities VALUES (1, 'Paris', 'fr'), (2, 'Atlantis', NULL);
