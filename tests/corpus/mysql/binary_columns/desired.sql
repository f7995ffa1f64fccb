CREATE TABLE files (id INT NOT NULL PRIMARY KEY, uuid BINARY(16) NOT NULL, digest VARBINARY(64) NOT NULL,
  data MEDIUMBLOB, thumb BLOB, UNIQUE KEY files_uuid_uq (uuid), KEY files_digest_idx (digest));
