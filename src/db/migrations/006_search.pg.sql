-- PostgreSQL form of 006_search.sql.  The text is folded by the program (search_fold: accents off, đ→d,
-- lower case, Chinese as bigrams) exactly as for SQLite, so both backends index the same words; it is
-- stored as a weighted tsvector (title A, lead B, body C, and the language as the lexeme 'lang=xx')
-- under a GIN index.  The text search configuration `cong` (a copy of `simple` that runs unaccent
-- first) is what turns that text into lexemes, and folds any accented text a person indexes by hand;
-- cong_unaccent is unaccent as an IMMUTABLE function, usable in index expressions.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE FUNCTION cong_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
CREATE TEXT SEARCH CONFIGURATION cong (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION cong ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword,
  hword_part, numword, numhword, hword_numpart WITH unaccent, simple;

CREATE TABLE article_search (
  article_id BIGINT PRIMARY KEY,
  tsv        tsvector NOT NULL
);
CREATE INDEX article_search_tsv ON article_search USING gin (tsv);

CREATE TABLE search_dirty (
  article_id BIGINT PRIMARY KEY
);

CREATE FUNCTION articles_search_queue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_dirty (article_id)
    VALUES (CASE WHEN TG_OP = 'DELETE' THEN old.id ELSE new.id END) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER articles_search_insert AFTER INSERT ON articles
FOR EACH ROW EXECUTE FUNCTION articles_search_queue();
CREATE TRIGGER articles_search_update AFTER UPDATE OF title, lead, body, lang ON articles
FOR EACH ROW EXECUTE FUNCTION articles_search_queue();
CREATE TRIGGER articles_search_delete AFTER DELETE ON articles
FOR EACH ROW EXECUTE FUNCTION articles_search_queue();

-- The articles that exist already are indexed at the first search.
INSERT INTO search_dirty (article_id) SELECT id FROM articles;

CREATE INDEX articles_search_filter ON articles (id, status, published_at, lang, category_id);
