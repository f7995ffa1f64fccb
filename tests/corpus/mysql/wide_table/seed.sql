INSERT INTO wide (id, c01, c02, c08, c09, c10, c22, c28) VALUES
  (1, 1, 1.25, 8, 'nine', 10.5, 'aa', 1),
  (2, 2, 2, NULL, 'x', NULL, NULL, 0),
  (3, NULL, NULL, 3, 'three', 0, 'cc', 1);
