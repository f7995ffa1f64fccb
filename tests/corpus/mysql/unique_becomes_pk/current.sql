CREATE TABLE countries (code CHAR(2) NOT NULL, name VARCHAR(60), UNIQUE KEY countries_code_uq (code));
