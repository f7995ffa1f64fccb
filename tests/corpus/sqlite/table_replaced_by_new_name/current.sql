CREATE TABLE clients (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE projects (id INTEGER PRIMARY KEY, client_id INTEGER REFERENCES clients (id), title TEXT);
CREATE VIEW client_projects AS SELECT c.name, p.title FROM projects p JOIN clients c ON c.id = p.client_id;
CREATE INDEX by_name ON clients (name);
