-- Core schema: settings, users, categories, media, articles, static pages, menus.
-- Times are UTC Unix seconds (BIGINT).  Portable SQL: the PostgreSQL backend maps INTEGER PRIMARY KEY
-- to an identity column.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  login         TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL DEFAULT '',
  role          TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'publisher')),
  password_hash TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    BIGINT NOT NULL
);

CREATE TABLE categories (
  id        INTEGER PRIMARY KEY,
  parent_id INTEGER REFERENCES categories (id),
  position  INTEGER NOT NULL DEFAULT 0
);

-- Name, description and URL slug of a category in each language.
CREATE TABLE category_i18n (
  category_id INTEGER NOT NULL REFERENCES categories (id),
  lang        TEXT NOT NULL,
  slug        TEXT NOT NULL,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (category_id, lang),
  UNIQUE (lang, slug)
);

-- Images.  name is the generated file stem under DATA/media; variants are <name>-<width>.jpg.
CREATE TABLE media (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  mime       TEXT NOT NULL,
  width      INTEGER NOT NULL,
  height     INTEGER NOT NULL,
  bytes      BIGINT NOT NULL,
  alt        TEXT NOT NULL DEFAULT '',
  caption    TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);

CREATE TABLE articles (
  id            INTEGER PRIMARY KEY,
  lang          TEXT NOT NULL,
  group_id      INTEGER,            -- translation group: the id of the original article
  category_id   INTEGER NOT NULL REFERENCES categories (id),
  slug          TEXT NOT NULL,
  title         TEXT NOT NULL,
  lead          TEXT NOT NULL DEFAULT '',
  body          TEXT NOT NULL DEFAULT '',
  cover_id      INTEGER REFERENCES media (id),
  cover_caption TEXT NOT NULL DEFAULT '',
  cover_alt     TEXT NOT NULL DEFAULT '',
  author        TEXT NOT NULL DEFAULT '',
  source        TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'pending', 'returned', 'scheduled', 'published', 'unpublished')),
  featured      INTEGER NOT NULL DEFAULT 0,
  published_at  BIGINT,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  views         BIGINT NOT NULL DEFAULT 0,
  UNIQUE (lang, slug)
);
CREATE INDEX articles_by_lang ON articles (lang, status, published_at);
CREATE INDEX articles_by_category ON articles (category_id, status, published_at);
CREATE INDEX articles_by_group ON articles (group_id);

-- Slugs an article had before: their URLs answer 301 to the current one.
CREATE TABLE article_old_slugs (
  lang       TEXT NOT NULL,
  slug       TEXT NOT NULL,
  article_id INTEGER NOT NULL REFERENCES articles (id),
  PRIMARY KEY (lang, slug)
);

CREATE TABLE tags (
  id   INTEGER PRIMARY KEY,
  lang TEXT NOT NULL,
  slug TEXT NOT NULL,
  name TEXT NOT NULL,
  UNIQUE (lang, slug)
);

CREATE TABLE article_tags (
  article_id INTEGER NOT NULL REFERENCES articles (id),
  tag_id     INTEGER NOT NULL REFERENCES tags (id),
  PRIMARY KEY (article_id, tag_id)
);

-- Static pages (Giới thiệu, Liên hệ …), one row per language; group_key ties translations together.
CREATE TABLE pages (
  id         INTEGER PRIMARY KEY,
  lang       TEXT NOT NULL,
  group_key  TEXT NOT NULL,
  slug       TEXT NOT NULL,
  title      TEXT NOT NULL,
  body       TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL,
  UNIQUE (lang, slug),
  UNIQUE (lang, group_key)
);

-- The main menu of each language (menus are data).  url is site-relative, with the language prefix.
CREATE TABLE menu_items (
  id       INTEGER PRIMARY KEY,
  lang     TEXT NOT NULL,
  position INTEGER NOT NULL,
  label    TEXT NOT NULL,
  url      TEXT NOT NULL
);
CREATE INDEX menu_by_lang ON menu_items (lang, position);
