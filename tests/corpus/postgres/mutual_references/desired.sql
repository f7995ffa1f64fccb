CREATE TABLE settings (
    id integer PRIMARY KEY,
    value text
);
CREATE TABLE departments (
    id integer PRIMARY KEY,
    name text NOT NULL,
    manager_id integer
);
CREATE TABLE employees (
    id integer PRIMARY KEY,
    department_id integer NOT NULL REFERENCES departments (id),
    mentor_id integer REFERENCES employees (id) ON DELETE SET NULL
);
ALTER TABLE departments ADD CONSTRAINT departments_manager_fkey
    FOREIGN KEY (manager_id) REFERENCES employees (id) ON DELETE SET NULL;
