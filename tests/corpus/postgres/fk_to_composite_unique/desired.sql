CREATE TABLE versions (id integer PRIMARY KEY, doc text NOT NULL, rev integer NOT NULL, CONSTRAINT versions_doc_rev_key UNIQUE (doc, rev));
CREATE TABLE reviews (id integer PRIMARY KEY, doc text, rev integer, FOREIGN KEY (doc, rev) REFERENCES versions (doc, rev) ON DELETE CASCADE);
