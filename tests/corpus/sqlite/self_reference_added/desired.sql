CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    manager_id INTEGER REFERENCES employees (id) ON DELETE SET NULL,
    mentor_id INTEGER REFERENCES employees (id)
);
CREATE INDEX employees_manager_idx ON employees (manager_id);
