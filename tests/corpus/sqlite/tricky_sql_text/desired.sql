CREATE TABLE listings (
    id INTEGER PRIMARY KEY, -- the listing
    title TEXT NOT NULL DEFAULT 'untitled (draft)', /* shown, with ( */
    kind TEXT NOT NULL DEFAULT 'c)' CHECK (kind IN ('a,b', 'c)', 'CONSTRAINT x')),
    data TEXT,
    "check" INTEGER DEFAULT 0 CHECK ("check" >= 0),
    price INTEGER DEFAULT (-1)
);
CREATE INDEX listings_prefix_idx ON listings (substr(title, 1, 3), kind);
CREATE INDEX listings_json_idx ON listings (json_extract(data, '$.a,b'), coalesce(kind, 'none')) WHERE data <> '' AND kind <> 'x,y';
