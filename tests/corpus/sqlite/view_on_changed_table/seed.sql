INSERT INTO sales (region, amount) VALUES ('north', 50), ('south', 150), ('north', 300);
