CREATE TABLE snippets (id INT NOT NULL PRIMARY KEY, body TEXT NOT NULL, lang VARCHAR(10),
  UNIQUE KEY snippets_body_uq (body));
