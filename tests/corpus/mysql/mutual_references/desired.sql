CREATE TABLE departments (id INT NOT NULL PRIMARY KEY, name VARCHAR(50), manager_id INT);
CREATE TABLE employees (id INT NOT NULL PRIMARY KEY, dept_id INT NOT NULL,
  CONSTRAINT employees_dept_fk FOREIGN KEY (dept_id) REFERENCES departments (id));
ALTER TABLE departments ADD CONSTRAINT departments_manager_fk
  FOREIGN KEY (manager_id) REFERENCES employees (id) ON DELETE SET NULL;
