CREATE TABLE accounts (id INT NOT NULL PRIMARY KEY, email VARCHAR(100) NOT NULL,
  username VARCHAR(30) NOT NULL, phone VARCHAR(20),
  KEY accounts_email_uq (email), UNIQUE KEY accounts_username_idx (username),
  KEY accounts_phone_idx (phone), CONSTRAINT accounts_email_user_uq UNIQUE (email, username));
