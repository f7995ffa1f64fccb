INSERT INTO listings (title, kind, data) VALUES ('abc', 'a,b', '{"a,b": 1}'), ('xyz', 'c)', NULL);
