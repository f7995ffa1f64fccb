CREATE TABLE tickets (id INT NOT NULL PRIMARY KEY,
  status ENUM('open','pending','closed') NOT NULL DEFAULT 'pending',
  priority ENUM('low','normal','high','urgent') DEFAULT 'normal',
  labels SET('bug','docs','perf') NOT NULL DEFAULT 'bug');
