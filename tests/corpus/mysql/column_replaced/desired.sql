CREATE TABLE users (id INT NOT NULL PRIMARY KEY, display_name VARCHAR(100) NOT NULL DEFAULT '',
  email VARCHAR(200), age INT, UNIQUE KEY users_email_uq (email));
