INSERT INTO countries VALUES ('de', 'Germany'), ('fr', 'France');
