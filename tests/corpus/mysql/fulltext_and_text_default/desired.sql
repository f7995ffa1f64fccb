CREATE TABLE docs (id INT NOT NULL PRIMARY KEY, title VARCHAR(100), body TEXT NOT NULL DEFAULT ('none'),
  tags JSON DEFAULT ('[]'), FULLTEXT KEY docs_body_ft (title, body));
