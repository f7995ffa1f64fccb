CREATE TABLE slugs (
    id integer PRIMARY KEY,
    slug text NOT NULL,
    site text NOT NULL,
    CONSTRAINT slugs_slug_key UNIQUE (slug)
);
CREATE UNIQUE INDEX slugs_site_idx ON slugs (site, slug);
