CREATE TABLE profiles (id INT NOT NULL PRIMARY KEY, bio VARCHAR(255), initials CHAR(3), visits INT,
  mood ENUM('ok','meh') DEFAULT 'ok', score INT NOT NULL DEFAULT 0);
