CREATE TABLE notes (id integer PRIMARY KEY, title character varying(200) NOT NULL, body character varying);
