CREATE TABLE `group` (`id` INT NOT NULL PRIMARY KEY, `desc` VARCHAR(20), `range` INT, `interval` INT);
CREATE TABLE `table` (`column` INT NOT NULL PRIMARY KEY, `key` VARCHAR(10) NOT NULL);
