INSERT INTO tickets VALUES ('A', 1, 'one'), ('B', 2, 'two');
