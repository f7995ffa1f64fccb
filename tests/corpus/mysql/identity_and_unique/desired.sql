CREATE TABLE tickets (code VARCHAR(10) NOT NULL, seq INT NOT NULL AUTO_INCREMENT, title VARCHAR(50),
  PRIMARY KEY (seq), UNIQUE KEY tickets_code_uq (code));
