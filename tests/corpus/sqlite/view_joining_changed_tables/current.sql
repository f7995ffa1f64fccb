CREATE TABLE departments (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE staff (id INTEGER PRIMARY KEY, name TEXT NOT NULL, department_id INTEGER REFERENCES departments (id), salary INTEGER);
CREATE VIEW payroll AS SELECT d.name AS department, s.name, s.salary FROM staff s JOIN departments d ON d.id = s.department_id;
CREATE VIEW department_sizes AS SELECT department, count(*) AS n FROM payroll GROUP BY department;
