CREATE TABLE teams (id INT NOT NULL PRIMARY KEY);
CREATE TABLE members (id INT NOT NULL PRIMARY KEY, team_id INT NOT NULL, lead_id INT,
  KEY members_lead_idx (lead_id),
  CONSTRAINT members_team_fk FOREIGN KEY (team_id) REFERENCES teams (id),
  CONSTRAINT members_lead_fk FOREIGN KEY (lead_id) REFERENCES members (id));
