INSERT INTO notes (body) VALUES ('buy milk'), ('call ann');
