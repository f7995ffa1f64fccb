INSERT INTO licenses (product, license_key, seat) VALUES ('ide', 'K-1', 1), ('ide', 'K-2', 2), ('db', 'K-3', 1);
