INSERT INTO events (id, kind, payload, flags) VALUES (1, 'open', '{"a": 1}', 'a'), (2, 'close', NULL, 'a,b');
