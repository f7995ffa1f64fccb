INSERT INTO articles VALUES (1, 'hello', 'Hello', 'hi there', 'en'), (2, 'hello', 'Hallo', 'hallo', 'de');
