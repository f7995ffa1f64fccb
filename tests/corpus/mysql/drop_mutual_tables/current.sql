CREATE TABLE keepers (id INT NOT NULL PRIMARY KEY);
CREATE TABLE husbands (id INT NOT NULL PRIMARY KEY, wife_id INT, keeper_id INT,
  CONSTRAINT husbands_keeper_fk FOREIGN KEY (keeper_id) REFERENCES keepers (id));
CREATE TABLE wives (id INT NOT NULL PRIMARY KEY, husband_id INT,
  CONSTRAINT wives_husband_fk FOREIGN KEY (husband_id) REFERENCES husbands (id));
ALTER TABLE husbands ADD CONSTRAINT husbands_wife_fk FOREIGN KEY (wife_id) REFERENCES wives (id);
