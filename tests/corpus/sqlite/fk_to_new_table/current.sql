CREATE TABLE things (id INTEGER PRIMARY KEY, category_id INTEGER, label TEXT);
