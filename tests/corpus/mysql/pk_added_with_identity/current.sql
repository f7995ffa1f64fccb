CREATE TABLE notes (body VARCHAR(100) NOT NULL, score INT CHECK (score >= 0));
