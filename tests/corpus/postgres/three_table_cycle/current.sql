CREATE TABLE x (id integer PRIMARY KEY, y_id integer);
CREATE TABLE y (id integer PRIMARY KEY, z_id integer);
CREATE TABLE z (id integer PRIMARY KEY, x_id integer);
ALTER TABLE x ADD FOREIGN KEY (y_id) REFERENCES y (id);
ALTER TABLE y ADD FOREIGN KEY (z_id) REFERENCES z (id);
ALTER TABLE z ADD FOREIGN KEY (x_id) REFERENCES x (id);
