-- PostgreSQL form of 004_media_library.sql: the search text is cleared before the row is written.
ALTER TABLE media ADD COLUMN uploaded_by INTEGER REFERENCES users (id);
ALTER TABLE media ADD COLUMN original_name TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE media ADD COLUMN search TEXT;
CREATE INDEX media_by_time ON media (created_at, id);
CREATE INDEX media_search_stale ON media (id) WHERE search IS NULL;

CREATE FUNCTION media_search_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  new.search := NULL;
  RETURN new;
END $$;

CREATE TRIGGER media_search_reset BEFORE UPDATE OF alt, caption, original_name ON media
FOR EACH ROW EXECUTE FUNCTION media_search_reset();
