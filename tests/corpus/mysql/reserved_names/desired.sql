CREATE TABLE `order` (`key` INT NOT NULL PRIMARY KEY, `select` VARCHAR(20) NOT NULL DEFAULT '',
  `group` INT, `we``ird` INT, KEY `index` (`group`), CONSTRAINT `check` CHECK (`group` > 0));
CREATE TABLE `from` (`to` INT NOT NULL AUTO_INCREMENT, UNIQUE KEY `from_to_uq` (`to`),
  CONSTRAINT `from_order_fk` FOREIGN KEY (`to`) REFERENCES `order` (`key`));
CREATE VIEW `where` AS SELECT `key`, `select` FROM `order`;
