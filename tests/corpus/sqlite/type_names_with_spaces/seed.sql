INSERT INTO measurements (value, counter, price, label) VALUES (1.5, 7, 3.14159, 'pi'), (NULL, 0, NULL, NULL);
