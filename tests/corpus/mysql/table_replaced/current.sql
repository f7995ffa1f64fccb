CREATE TABLE clients (id INT NOT NULL PRIMARY KEY, name VARCHAR(40));
CREATE TABLE invoices (id INT NOT NULL PRIMARY KEY, client_id INT, amount INT,
  CONSTRAINT invoices_client_fk FOREIGN KEY (client_id) REFERENCES clients (id));
