INSERT INTO cards (front, back) VALUES ('hola', 'hello'), ('adios', 'bye');
