INSERT INTO tickets VALUES (1, 'open', 'low', 'bug'), (2, 'closed', 'high', 'bug,docs'),
  (3, 'open', NULL, '');
