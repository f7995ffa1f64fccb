INSERT INTO `order` VALUES (1, 'a'), (2, 'b');
