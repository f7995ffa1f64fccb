INSERT INTO countries (code) VALUES ('DE'), ('FR');
INSERT INTO cities VALUES (1, 'DE'), (2, 'FR'), (3, 'DE');
