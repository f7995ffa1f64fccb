INSERT INTO survey_responses (respondent, q01, q02, q03, q11, q13, q16, q21, q26, q31, q35, submitted_at, notes)
VALUES ('r1', 1, 2, 3, 'yes', 'long answer', 0.5, 4, 'no', 1, 9, '2026-04-01 09:00:00', NULL),
       ('r2', 5, NULL, 0, NULL, NULL, NULL, NULL, 'maybe', NULL, NULL, NULL, 'called back'),
       ('r3', 2, 2, 7, 'no', 'short', 1.5, 0, NULL, 0, 1, '2026-04-03 17:30:00', '');
