INSERT INTO people VALUES
    (1, 'Ann@example.com', 'Lee', 'Ann', '{a,b}', NULL),
    (2, 'ann@example.com', 'Lee', 'Ann', '{b}', '2024-05-01 00:00:00+00'),
    (3, 'bob@example.com', 'Roe', 'Bob', NULL, NULL);
