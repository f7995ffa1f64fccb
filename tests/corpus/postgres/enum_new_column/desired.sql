CREATE TYPE ship_status AS ENUM ('pending', 'sent', 'lost');
CREATE TYPE "Carrier" AS ENUM ('UPS', 'DHL');
CREATE TABLE shipments (
    id integer PRIMARY KEY,
    status ship_status NOT NULL DEFAULT 'pending',
    carriers "Carrier"[],
    carrier "Carrier"
);
CREATE INDEX shipments_status_idx ON shipments (status) WHERE status <> 'sent';
