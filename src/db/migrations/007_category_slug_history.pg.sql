-- PostgreSQL form of 007_category_slug_history.sql.
CREATE TABLE category_old_slugs (
  lang        TEXT NOT NULL,
  slug        TEXT NOT NULL,
  category_id INTEGER NOT NULL REFERENCES categories (id),
  PRIMARY KEY (lang, slug)
);

CREATE FUNCTION category_slug_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM category_old_slugs WHERE lang = new.lang AND slug = new.slug;
  INSERT INTO category_old_slugs (lang, slug, category_id) VALUES (old.lang, old.slug, old.category_id)
    ON CONFLICT (lang, slug) DO UPDATE SET category_id = excluded.category_id;
  RETURN NULL;
END $$;

CREATE TRIGGER category_slug_history AFTER UPDATE OF slug ON category_i18n
FOR EACH ROW WHEN (old.slug <> new.slug) EXECUTE FUNCTION category_slug_history();

-- a deleted category takes its old slugs with it: before the row goes, so its references never dangle
CREATE FUNCTION category_slug_history_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM category_old_slugs WHERE category_id = old.id;
  RETURN old;
END $$;

CREATE TRIGGER category_slug_history_delete BEFORE DELETE ON categories
FOR EACH ROW EXECUTE FUNCTION category_slug_history_delete();
