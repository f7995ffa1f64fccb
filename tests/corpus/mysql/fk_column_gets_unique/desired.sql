CREATE TABLE users (id INT NOT NULL PRIMARY KEY);
CREATE TABLE profiles (id INT NOT NULL PRIMARY KEY, user_id INT NOT NULL, bio VARCHAR(100),
  UNIQUE KEY profiles_user_uq (user_id),
  CONSTRAINT profiles_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE);
