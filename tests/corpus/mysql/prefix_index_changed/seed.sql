INSERT INTO pages VALUES (1, 'https://example.org/a', 'Home', 'welcome'),
  (2, 'https://example.org/b', 'Home', NULL), (3, CONCAT('https://example.org/', REPEAT('x', 300)), 'Long', 'zz');
