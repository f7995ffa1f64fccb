CREATE TABLE users (id INT NOT NULL PRIMARY KEY, fullname VARCHAR(100) NOT NULL, mail VARCHAR(100),
  age INT, KEY users_mail_idx (mail));
