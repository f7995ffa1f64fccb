CREATE TABLE blobs (
    id integer PRIMARY KEY,
    doc jsonb,
    key text NOT NULL
);
CREATE INDEX blobs_key_idx ON blobs USING hash (key);
CREATE INDEX blobs_doc_idx ON blobs USING gin (doc);
CREATE INDEX blobs_doc_kind_idx ON blobs ((doc ->> 'kind'), key) WHERE doc IS NOT NULL;
