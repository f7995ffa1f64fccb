CREATE TABLE slugs (
    id integer PRIMARY KEY,
    slug text NOT NULL,
    site text NOT NULL,
    CONSTRAINT slugs_site_idx UNIQUE (site, slug)
);
CREATE UNIQUE INDEX slugs_slug_key ON slugs (slug);
