CREATE TABLE keep (id integer PRIMARY KEY);
CREATE TABLE marker ();
CREATE TABLE described (id integer);
COMMENT ON TABLE described IS 'a table with a comment; quotes '' and "';
