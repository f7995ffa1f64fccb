CREATE TABLE periods (year SMALLINT NOT NULL, month SMALLINT NOT NULL, closed BOOLEAN NOT NULL DEFAULT 0, PRIMARY KEY (year, month), CHECK (month BETWEEN 1 AND 12));
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    year SMALLINT NOT NULL,
    month SMALLINT NOT NULL,
    amount INTEGER NOT NULL,
    FOREIGN KEY (year, month) REFERENCES periods (year, month) ON DELETE CASCADE
);
CREATE INDEX entries_period_idx ON entries (year, month);
