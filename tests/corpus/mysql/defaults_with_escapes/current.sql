CREATE TABLE prefs (id INT NOT NULL PRIMARY KEY, path VARCHAR(100), pattern VARCHAR(20),
  label VARCHAR(20), word VARCHAR(10), zero VARCHAR(5), amount DECIMAL(8,3), mask BIT(8), f FLOAT);
