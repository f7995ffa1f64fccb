CREATE TABLE scores (id INT NOT NULL PRIMARY KEY, points INT NOT NULL CHECK (points >= 0),
  level INT NOT NULL, bonus INT,
  CONSTRAINT scores_level_ck CHECK (level BETWEEN 1 AND 10),
  CONSTRAINT scores_bonus_ck CHECK (bonus IS NULL OR bonus < 100));
