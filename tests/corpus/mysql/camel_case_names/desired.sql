CREATE TABLE UserAccounts (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, emailAddress VARCHAR(150) NOT NULL,
  createdAt DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, isAdmin TINYINT(1) NOT NULL DEFAULT 0,
  UNIQUE KEY UserAccounts_emailAddress_idx (emailAddress));
CREATE TABLE Posts (id INT NOT NULL PRIMARY KEY, authorId INT NOT NULL, Title VARCHAR(200),
  CONSTRAINT Posts_authorId_fkey FOREIGN KEY (authorId) REFERENCES UserAccounts (id) ON DELETE CASCADE);
CREATE VIEW RecentPosts AS SELECT p.id, p.Title, u.emailAddress FROM Posts p
  JOIN UserAccounts u ON u.id = p.authorId WHERE p.id > 1;
