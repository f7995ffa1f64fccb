CREATE TABLE series (id integer PRIMARY KEY, points integer[] NOT NULL DEFAULT '{}', names character varying(10)[]);
