CREATE TABLE accounts (id INT NOT NULL PRIMARY KEY, email VARCHAR(100) NOT NULL,
  username VARCHAR(30) NOT NULL, phone VARCHAR(20),
  UNIQUE KEY accounts_email_uq (email), KEY accounts_username_idx (username),
  UNIQUE KEY accounts_phone_idx (phone));
