CREATE TABLE users (id INT NOT NULL PRIMARY KEY, name VARCHAR(30));
CREATE TABLE roles (id INT NOT NULL PRIMARY KEY, name VARCHAR(30));
CREATE TABLE user_roles (user_id INT NOT NULL, role_id INT NOT NULL, granted_at DATETIME,
  UNIQUE KEY user_roles_uq (user_id, role_id), KEY user_roles_role_idx (role_id),
  CONSTRAINT user_roles_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT user_roles_role_fk FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE);
