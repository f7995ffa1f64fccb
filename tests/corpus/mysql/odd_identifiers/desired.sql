CREATE TABLE `order items` (`id` INT NOT NULL PRIMARY KEY, `unit-price` DECIMAL(10,2),
  `qty` INT NOT NULL DEFAULT 1, `1st note` VARCHAR(20), `naïve` VARCHAR(10), `$dollar` INT,
  KEY `idx-1` (`unit-price`), CONSTRAINT `qty > 0` CHECK (`qty` > 0));
CREATE TABLE `ref's` (`id` INT NOT NULL PRIMARY KEY, `item id` INT,
  CONSTRAINT `fk.item` FOREIGN KEY (`item id`) REFERENCES `order items` (`id`));
CREATE VIEW `item view` AS SELECT `id`, `unit-price` * `qty` AS `line total` FROM `order items`;
