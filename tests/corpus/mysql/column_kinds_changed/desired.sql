CREATE TABLE profiles (id INT NOT NULL PRIMARY KEY, bio TEXT, initials VARCHAR(3), visits INT UNSIGNED,
  mood ENUM('ok','meh') DEFAULT 'meh', score INT NOT NULL DEFAULT 0, joined INT NOT NULL);
