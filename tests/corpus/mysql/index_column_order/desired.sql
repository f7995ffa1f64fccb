CREATE TABLE logs (id INT NOT NULL PRIMARY KEY, level TINYINT NOT NULL, source VARCHAR(30) NOT NULL,
  at DATETIME NOT NULL, KEY logs_lvl_src (source, level), KEY logs_at_lvl (at DESC, level),
  UNIQUE KEY logs_src_at_uq (id, at, source));
