CREATE TABLE tasks (id INT NOT NULL PRIMARY KEY, token VARCHAR(36) NOT NULL DEFAULT (uuid()),
  due DATE DEFAULT (curdate() + INTERVAL 7 DAY), title VARCHAR(60) NOT NULL DEFAULT (concat('task-', 'new')),
  score DOUBLE DEFAULT (1.5 * 2), ref CHAR(36) NOT NULL DEFAULT (uuid()),
  created DATE NOT NULL DEFAULT (curdate()));
