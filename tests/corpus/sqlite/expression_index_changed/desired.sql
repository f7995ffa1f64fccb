CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT, first TEXT, last TEXT, data TEXT);
CREATE UNIQUE INDEX contacts_email_ci_idx ON contacts (lower(trim(email)));
CREATE INDEX contacts_name_idx ON contacts (lower(last), first);
CREATE INDEX contacts_len_idx ON contacts (length(data)) WHERE data IS NOT NULL;
