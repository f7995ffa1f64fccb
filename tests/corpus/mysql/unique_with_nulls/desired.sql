CREATE TABLE contacts (id INT NOT NULL PRIMARY KEY, org_id INT, email VARCHAR(100), ext VARCHAR(5),
  CONSTRAINT contacts_org_email_uq UNIQUE (org_id, email), UNIQUE KEY contacts_ext_uq (ext, org_id));
