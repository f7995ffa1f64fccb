CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT, first TEXT, last TEXT, data TEXT);
CREATE INDEX contacts_email_ci_idx ON contacts (lower(email));
CREATE INDEX contacts_name_idx ON contacts (last || ', ' || first);
