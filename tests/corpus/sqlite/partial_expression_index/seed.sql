INSERT INTO events (kind, payload, done) VALUES ('Click', 'p1', 0), ('view', 'p2', 1), ('view', NULL, 0);
