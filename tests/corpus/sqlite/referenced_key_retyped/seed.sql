INSERT INTO countries VALUES ('de', 'germany'), ('fr', 'france'), ('jp', 'japan');
INSERT INTO cities (name, country) VALUES ('berlin', 'de'), ('lyon', 'fr'), ('osaka', 'jp'), ('kyoto', 'jp');
INSERT INTO airports VALUES ('BER', 'de'), ('KIX', 'jp'), ('XXX', NULL);
