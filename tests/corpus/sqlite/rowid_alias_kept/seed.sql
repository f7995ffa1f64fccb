INSERT INTO documents VALUES (3, 'three', 10), (17, 'seventeen', 20), (1000000, 'big', NULL), (-5, 'negative', 1);
INSERT INTO revisions VALUES (100, 3, 1), (205, 3, 2), (999, 1000000, 1), (7, -5, 1);
