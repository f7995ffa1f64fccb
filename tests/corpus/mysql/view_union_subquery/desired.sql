CREATE TABLE staff (id INT NOT NULL PRIMARY KEY, name VARCHAR(80), dept VARCHAR(20));
CREATE TABLE contractors (id INT NOT NULL PRIMARY KEY, name VARCHAR(80), agency VARCHAR(40));
CREATE VIEW everyone AS SELECT name, 'staff' AS kind FROM staff UNION ALL SELECT name, 'contractor' FROM contractors;
CREATE VIEW big_depts AS SELECT dept, (SELECT COUNT(*) FROM staff s2 WHERE s2.dept = s.dept) AS n
  FROM staff s WHERE s.dept IN (SELECT dept FROM staff GROUP BY dept HAVING COUNT(*) > 1) GROUP BY dept;
CREATE VIEW named AS WITH e AS (SELECT name FROM everyone) SELECT name FROM e WHERE name IS NOT NULL;
