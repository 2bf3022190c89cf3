-- The officer role (cán bộ một cửa): PostgreSQL form of 008_officer_role.sql.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'editor', 'publisher', 'officer'));
