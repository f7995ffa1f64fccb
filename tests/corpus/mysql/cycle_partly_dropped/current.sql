CREATE TABLE companies (id INT NOT NULL PRIMARY KEY, name VARCHAR(40), ceo_id INT);
CREATE TABLE people (id INT NOT NULL PRIMARY KEY, office_id INT);
CREATE TABLE offices (id INT NOT NULL PRIMARY KEY, company_id INT NOT NULL,
  CONSTRAINT offices_company_fk FOREIGN KEY (company_id) REFERENCES companies (id));
ALTER TABLE companies ADD CONSTRAINT companies_ceo_fk FOREIGN KEY (ceo_id) REFERENCES people (id);
ALTER TABLE people ADD CONSTRAINT people_office_fk FOREIGN KEY (office_id) REFERENCES offices (id);
