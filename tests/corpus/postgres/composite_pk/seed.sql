INSERT INTO enrollments VALUES (1, 10, '2024a', 'A'), (1, 11, '2024a', NULL), (2, 10, '2024b', 'B');
