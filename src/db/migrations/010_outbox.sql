-- The outbox: email the program owes someone (the receipt of a dossier, …), written in the same transaction
-- as the change it reports, and sent afterwards by the server's mailer thread (svc/outbox.c) with retries,
-- so a slow or failing SMTP server never fails or delays the request and never loses a message.
-- next_try_at: when the mailer may (re)try it; a mailer that takes a message moves it a lease ahead first,
-- so two servers never send one message twice at once.  sent_at set: done; failed_at set: given up (a
-- permanent refusal, or too many attempts), with last_error saying why.
CREATE TABLE outbox (
  id          INTEGER PRIMARY KEY,
  recipient   TEXT NOT NULL,
  subject     TEXT NOT NULL,
  body        TEXT NOT NULL,           -- plain text, UTF-8, lines ended by \n
  ref         TEXT NOT NULL DEFAULT '',-- what it is about (a dossier code), for people reading the table
  created_at  BIGINT NOT NULL,
  next_try_at BIGINT NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  sent_at     BIGINT,
  failed_at   BIGINT,
  last_error  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (sent_at, failed_at, next_try_at);
