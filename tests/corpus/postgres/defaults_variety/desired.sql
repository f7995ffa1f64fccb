CREATE TABLE docs (
    id integer PRIMARY KEY,
    uid uuid NOT NULL DEFAULT gen_random_uuid(),
    meta jsonb NOT NULL DEFAULT '{}'::jsonb,
    labels text[] DEFAULT ARRAY['a', 'b'],
    ttl interval DEFAULT '1 day',
    ratio double precision DEFAULT 0.5,
    price numeric(10,2) DEFAULT 9.99,
    flag boolean DEFAULT false,
    created timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    day date DEFAULT CURRENT_DATE,
    quote text DEFAULT 'it''s "quoted"',
    bits bit(4) DEFAULT B'1010',
    neg integer DEFAULT -1,
    owner text DEFAULT CURRENT_USER
);
