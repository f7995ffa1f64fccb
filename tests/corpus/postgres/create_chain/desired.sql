CREATE TABLE noop (
    id integer PRIMARY KEY
);
CREATE TABLE orgs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE
);
CREATE TABLE teams (
    id bigserial PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name text NOT NULL,
    UNIQUE (org_id, name)
);
CREATE TABLE team_members (
    team_id bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_name text NOT NULL,
    role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'lead')),
    PRIMARY KEY (team_id, user_name)
);
CREATE INDEX team_members_user_idx ON team_members (user_name);
CREATE VIEW team_sizes AS SELECT t.id, t.name, count(m.user_name) AS members
    FROM teams t LEFT JOIN team_members m ON m.team_id = t.id GROUP BY t.id, t.name;
