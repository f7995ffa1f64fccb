CREATE TABLE events (id INT NOT NULL PRIMARY KEY, kind ENUM('open','close') NOT NULL DEFAULT 'open',
  payload TEXT, flags SET('a','b'));
