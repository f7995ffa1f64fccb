CREATE TABLE users (id INT NOT NULL PRIMARY KEY);
CREATE TABLE comments (id INT NOT NULL PRIMARY KEY, user_id INT, editor_id INT, body TEXT,
  KEY comments_editor_idx (editor_id, id),
  CONSTRAINT comments_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT comments_editor_fk FOREIGN KEY (editor_id) REFERENCES users (id));
