CREATE TABLE companies (id INT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL, ceo_id INT);
CREATE TABLE people (id INT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL, office_id INT,
  KEY people_office_idx (office_id));
CREATE TABLE offices (id INT NOT NULL PRIMARY KEY, city VARCHAR(40) NOT NULL, company_id INT,
  CONSTRAINT offices_company_fk FOREIGN KEY (company_id) REFERENCES companies (id) ON DELETE CASCADE);
ALTER TABLE companies ADD CONSTRAINT companies_ceo_fk FOREIGN KEY (ceo_id) REFERENCES people (id)
  ON DELETE SET NULL;
ALTER TABLE people ADD CONSTRAINT people_office_fk FOREIGN KEY (office_id) REFERENCES offices (id);
