CREATE TABLE events (id INT NOT NULL PRIMARY KEY,
  kind ENUM('open','close','Reopen') NOT NULL DEFAULT 'open',
  payload JSON, flags SET('a','b','c'), seen BIT(1) NOT NULL DEFAULT b'0', at TIMESTAMP NULL);
