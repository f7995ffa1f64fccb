INSERT INTO uploads (filename, bytes) VALUES ('a.png', 1024), ('b.pdf', NULL), ('c.txt', 12);
