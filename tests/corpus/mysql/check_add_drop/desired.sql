CREATE TABLE scores (id INT NOT NULL PRIMARY KEY, points BIGINT NOT NULL CHECK (points >= 0),
  level INT NOT NULL, bonus INT CHECK (bonus <> 13),
  CONSTRAINT scores_level_ck CHECK (level BETWEEN 1 AND 20),
  CONSTRAINT scores_sum_ck CHECK (points + level < 1000000));
