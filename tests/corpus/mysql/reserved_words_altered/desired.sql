CREATE TABLE `table` (`column` INT NOT NULL PRIMARY KEY, `key` VARCHAR(10) NOT NULL,
  `limit` INT NOT NULL DEFAULT 10);
CREATE TABLE `group` (`id` INT NOT NULL PRIMARY KEY, `desc` VARCHAR(100) NOT NULL DEFAULT '',
  `range` BIGINT, `interval` INT DEFAULT 5, `references` INT,
  KEY `order` (`range`, `interval`), UNIQUE KEY `unique` (`desc`, `id`),
  CONSTRAINT `foreign` FOREIGN KEY (`references`) REFERENCES `table` (`column`) ON DELETE SET NULL,
  CONSTRAINT `constraint` CHECK (`range` <> 0));
CREATE VIEW `select` AS SELECT `g`.`id`, `g`.`desc`, `t`.`key` FROM `group` `g`
  LEFT JOIN `table` `t` ON `t`.`column` = `g`.`references`;
