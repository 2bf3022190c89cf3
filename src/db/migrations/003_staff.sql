-- The staff area: sessions, login throttling, the audit log, revisions and autosaves.
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';   -- base32; '' = two-factor off
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0; -- a code is accepted once
ALTER TABLE users ADD COLUMN password_changed_at BIGINT NOT NULL DEFAULT 0;

-- A session's token is 256 random bits; only its hash is stored, so a leaked database opens no session.
CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  user_id      INTEGER NOT NULL REFERENCES users (id),
  kind         TEXT NOT NULL DEFAULT 'web' CHECK (kind IN ('web', 'api')),
  csrf         TEXT NOT NULL,
  second_factor_due INTEGER NOT NULL DEFAULT 0, -- the password was right; the TOTP code is still due
  created_at   BIGINT NOT NULL,
  last_seen    BIGINT NOT NULL,
  ip           TEXT NOT NULL DEFAULT '',
  user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Failed logins per account ('u:<login>') and per address ('a:<ip>'), in a sliding window.
CREATE TABLE login_throttle (
  key          TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL,
  window_start BIGINT NOT NULL,
  blocked_until BIGINT NOT NULL DEFAULT 0
);

-- Who did what to which object, when (UTC) and from where.  Never updated or deleted by the program.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          BIGINT NOT NULL,
  user_id     INTEGER,
  login       TEXT NOT NULL DEFAULT '',
  action      TEXT NOT NULL,
  object_type TEXT NOT NULL DEFAULT '',
  object_id   BIGINT,
  detail      TEXT NOT NULL DEFAULT '',
  ip          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_time ON audit_log (at);
CREATE INDEX audit_by_user ON audit_log (user_id, at);

ALTER TABLE articles ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE articles ADD COLUMN author_id INTEGER REFERENCES users (id);
ALTER TABLE articles ADD COLUMN review_comment TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN source_revision INTEGER NOT NULL DEFAULT 0; -- for a translation: the original's revision it follows

-- Every save of an article is a revision: the full text, so any one can be viewed, compared or restored.
CREATE TABLE article_revisions (
  id          INTEGER PRIMARY KEY,
  article_id  INTEGER NOT NULL REFERENCES articles (id),
  revision    INTEGER NOT NULL,
  title       TEXT NOT NULL,
  lead        TEXT NOT NULL,
  body        TEXT NOT NULL,
  category_id INTEGER NOT NULL,
  cover_id    INTEGER,
  cover_caption TEXT NOT NULL DEFAULT '',
  cover_alt   TEXT NOT NULL DEFAULT '',
  tags        TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL,
  saved_by    INTEGER REFERENCES users (id),
  saved_at    BIGINT NOT NULL,
  UNIQUE (article_id, revision)
);

-- The editor's unsaved text, sent by the browser every few seconds (article_id 0: a new article).
CREATE TABLE autosaves (
  user_id    INTEGER NOT NULL REFERENCES users (id),
  article_id INTEGER NOT NULL,
  data       TEXT NOT NULL,
  saved_at   BIGINT NOT NULL,
  PRIMARY KEY (user_id, article_id)
);
