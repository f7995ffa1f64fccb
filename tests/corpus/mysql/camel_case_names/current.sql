CREATE TABLE UserAccounts (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, emailAddress VARCHAR(100) NOT NULL,
  createdAt DATETIME NOT NULL, KEY UserAccounts_emailAddress_idx (emailAddress));
CREATE TABLE Posts (id INT NOT NULL PRIMARY KEY, authorId INT NOT NULL, Title VARCHAR(100));
CREATE VIEW RecentPosts AS SELECT p.id, p.Title FROM Posts p WHERE p.id > 1;
