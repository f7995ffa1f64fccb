CREATE TABLE staff (id INT NOT NULL PRIMARY KEY, name VARCHAR(40), dept VARCHAR(20));
CREATE TABLE contractors (id INT NOT NULL PRIMARY KEY, name VARCHAR(40), agency VARCHAR(40));
CREATE VIEW everyone AS SELECT name, 'staff' AS kind FROM staff UNION ALL SELECT name, 'contractor' FROM contractors;
