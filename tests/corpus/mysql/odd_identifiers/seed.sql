INSERT INTO `order items` VALUES (1, 5, 2), (2, NULL, 1);
