CREATE TABLE notes (id integer PRIMARY KEY, title character varying(20) NOT NULL, body character varying(500));
