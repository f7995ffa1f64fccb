CREATE TABLE `order items` (`id` INT NOT NULL PRIMARY KEY, `unit-price` INT, `qty` INT);
