INSERT INTO `group` VALUES (1, 'first', 7, 1), (2, 'second', 3, NULL);
INSERT INTO `table` VALUES (1, 'k1');
