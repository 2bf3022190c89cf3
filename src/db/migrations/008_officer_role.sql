-- The officer role (cán bộ một cửa), who processes the dossiers of the agencies he is bound to (009).
-- SQLite keeps a table's CHECK constraint in its CREATE TABLE text, and
-- changing it needs no rewrite of the rows (SQLite's documented procedure for loosening a constraint).
-- The SQLite backend bumps the schema cookie after a script that sets writable_schema, so every connection
-- re-reads the schema.  PostgreSQL: 008_officer_role.pg.sql.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''editor'', ''publisher'')', '''editor'', ''publisher'', ''officer'')')
  WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = OFF;

