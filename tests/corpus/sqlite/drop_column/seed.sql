INSERT INTO people (name, nickname, city, age) VALUES ('ann', 'annie', 'oslo', 30), ('bob', NULL, 'rome', 41);
