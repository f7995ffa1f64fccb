INSERT INTO sessions VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"k": 1}', '[]'), ('b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', '{}', NULL);
