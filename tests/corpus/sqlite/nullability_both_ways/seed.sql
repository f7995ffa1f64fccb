INSERT INTO shipments (tracking, carrier, shipped_at, weight_grams) VALUES
    ('1Z999', 'ups', '2026-03-01 10:00:00', 1200),
    ('JD014', 'dhl', '2026-03-02 08:30:00', 350);
