INSERT INTO profiles (display_name, visits, joined, score, bio) VALUES ('kim', 3, '2025-12-01', 0.5, 'hi');
INSERT INTO profiles (bio) VALUES (NULL);
