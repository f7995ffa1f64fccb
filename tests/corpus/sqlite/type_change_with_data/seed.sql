INSERT INTO invoices (number, total, paid, issued, memo) VALUES
    ('2026-001', '120.50', 1, '2026-01-03', 'first'),
    ('2026-002', '99', 0, '2026-02-11', NULL),
    ('2026-003', NULL, 0, NULL, 'pending review');
