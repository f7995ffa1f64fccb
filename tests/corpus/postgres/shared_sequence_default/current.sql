CREATE SEQUENCE global_ids;
CREATE TABLE t1 (id bigint PRIMARY KEY DEFAULT nextval('global_ids'));
CREATE TABLE t2 (name text);
