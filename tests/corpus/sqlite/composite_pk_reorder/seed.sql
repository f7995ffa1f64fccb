INSERT INTO enrollments VALUES (1, 10, '2026s', 'A'), (1, 11, '2026s', NULL), (2, 10, '2026s', 'B');
