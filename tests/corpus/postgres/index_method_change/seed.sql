INSERT INTO blobs VALUES (1, '{"kind": "a"}', 'k1'), (2, NULL, 'k2');
