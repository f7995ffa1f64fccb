CREATE TABLE answers (id INT NOT NULL PRIMARY KEY,
  choice ENUM('yes','no','don''t know','a,b','back\\slash') NOT NULL DEFAULT 'don''t know',
  tags SET('a','b','it''s'), mood ENUM('ok','so-so','(x)') DEFAULT 'so-so');
