CREATE TABLE items (
  seq INT,
  id INT NOT NULL PRIMARY KEY,
  name VARCHAR(100) NOT NULL DEFAULT 'unnamed',
  price DECIMAL(10,2) NOT NULL DEFAULT 0.00,
  sku VARCHAR(20) NOT NULL,
  `order` INT DEFAULT 1,
  `weird ``col` ENUM('a','b') DEFAULT 'a'
);
