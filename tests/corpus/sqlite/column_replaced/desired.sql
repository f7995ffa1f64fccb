CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL, due TEXT, status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')));
