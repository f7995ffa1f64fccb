INSERT INTO notes VALUES ('one', 1), ('two', NULL), ('three', 3);
