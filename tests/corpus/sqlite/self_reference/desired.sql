CREATE TABLE categories (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES categories (id) ON DELETE CASCADE, name TEXT NOT NULL DEFAULT '');
CREATE INDEX categories_parent_idx ON categories (parent_id);
