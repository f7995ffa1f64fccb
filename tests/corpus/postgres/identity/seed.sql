INSERT INTO counters (id, label) VALUES (100, 'a'), (101, 'b');
