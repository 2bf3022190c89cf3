-- PostgreSQL form of 002_slug_history.sql: the same rule as a trigger function.
CREATE FUNCTION articles_slug_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM article_old_slugs WHERE lang = new.lang AND slug = new.slug;
  INSERT INTO article_old_slugs (lang, slug, article_id) VALUES (old.lang, old.slug, old.id)
    ON CONFLICT (lang, slug) DO UPDATE SET article_id = excluded.article_id;
  RETURN NULL;
END $$;

CREATE TRIGGER articles_slug_history AFTER UPDATE OF slug ON articles
FOR EACH ROW WHEN (old.slug <> new.slug) EXECUTE FUNCTION articles_slug_history();
