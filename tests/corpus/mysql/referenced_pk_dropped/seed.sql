INSERT INTO batches VALUES (1, 'b1'), (2, 'b2');
INSERT INTO samples VALUES (1, 1), (2, 2), (3, NULL);
