-- Online public services (svc/): agencies, the procedure catalog, dossiers and their processing, and the
-- working-day calendar's announced days.

-- Agencies (cơ quan) that receive dossiers.  code is the agency's code in the national catalog, the first
-- part of its dossier codes (e.g. 000.00.30.H23).  level: 'tinh' (province) or 'xa' (commune).
CREATE TABLE agencies (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  level      TEXT NOT NULL DEFAULT 'tinh' CHECK (level IN ('tinh', 'xa')),
  commune    TEXT NOT NULL DEFAULT '',    -- the commune of a commune-level agency
  address    TEXT NOT NULL DEFAULT '',
  phone      TEXT NOT NULL DEFAULT '',
  email      TEXT NOT NULL DEFAULT '',
  position   INTEGER NOT NULL DEFAULT 0
);

-- Names in each language ('vi' always; 'en', 'zh' when translated).
CREATE TABLE agency_i18n (
  agency_id INTEGER NOT NULL REFERENCES agencies (id),
  lang      TEXT NOT NULL,
  name      TEXT NOT NULL,
  PRIMARY KEY (agency_id, lang)
);

-- Lĩnh vực: the fields procedures are grouped by.
CREATE TABLE proc_fields (
  id       INTEGER PRIMARY KEY,
  slug     TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE proc_field_i18n (
  field_id INTEGER NOT NULL REFERENCES proc_fields (id),
  lang     TEXT NOT NULL,
  name     TEXT NOT NULL,
  PRIMARY KEY (field_id, lang)
);

-- Thủ tục hành chính.  code is mã thủ tục (e.g. 2.000635); days the statutory time limit in working days;
-- online 'toan_trinh' (fully online) or 'mot_phan' (partly); published 0 hides it from citizens.
CREATE TABLE procedures (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  agency_id  INTEGER NOT NULL REFERENCES agencies (id),
  field_id   INTEGER NOT NULL REFERENCES proc_fields (id),
  level      TEXT NOT NULL DEFAULT 'tinh' CHECK (level IN ('tinh', 'xa')),
  online     TEXT NOT NULL DEFAULT 'toan_trinh' CHECK (online IN ('toan_trinh', 'mot_phan')),
  days       INTEGER NOT NULL CHECK (days >= 0),
  published  INTEGER NOT NULL DEFAULT 1,
  search     TEXT NOT NULL DEFAULT '',    -- the folded name and code (utf8_fold), for search without accents
  updated_at BIGINT NOT NULL
);
CREATE INDEX procedures_by_agency ON procedures (agency_id);
CREATE INDEX procedures_by_field ON procedures (field_id);

-- The text of a procedure in a language ('vi' always).  Long fields are Markdown.
CREATE TABLE procedure_i18n (
  procedure_id INTEGER NOT NULL REFERENCES procedures (id),
  lang         TEXT NOT NULL,
  name         TEXT NOT NULL,
  steps        TEXT NOT NULL DEFAULT '',   -- trình tự thực hiện
  methods      TEXT NOT NULL DEFAULT '',   -- cách thức thực hiện
  subjects     TEXT NOT NULL DEFAULT '',   -- đối tượng thực hiện
  result       TEXT NOT NULL DEFAULT '',   -- kết quả
  fees         TEXT NOT NULL DEFAULT '',   -- phí, lệ phí
  conditions   TEXT NOT NULL DEFAULT '',   -- yêu cầu, điều kiện
  legal_basis  TEXT NOT NULL DEFAULT '',   -- căn cứ pháp lý
  PRIMARY KEY (procedure_id, lang)
);

-- Thành phần hồ sơ: the documents a dossier of the procedure holds; each is one upload slot.
CREATE TABLE procedure_docs (
  id           INTEGER PRIMARY KEY,
  procedure_id INTEGER NOT NULL REFERENCES procedures (id),
  position     INTEGER NOT NULL DEFAULT 0,
  copies       TEXT NOT NULL DEFAULT '01 bản chính',  -- số lượng: as the catalog words it
  required     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE procedure_doc_i18n (
  doc_id INTEGER NOT NULL REFERENCES procedure_docs (id),
  lang   TEXT NOT NULL,
  name   TEXT NOT NULL,
  PRIMARY KEY (doc_id, lang)
);

-- Biểu mẫu: downloadable forms, files under DATA/forms/<stored>.
CREATE TABLE procedure_forms (
  id           INTEGER PRIMARY KEY,
  procedure_id INTEGER NOT NULL REFERENCES procedures (id),
  title        TEXT NOT NULL,
  stored       TEXT NOT NULL UNIQUE,   -- the random file name on disk
  filename     TEXT NOT NULL,          -- the name offered for download
  mime         TEXT NOT NULL,
  bytes        BIGINT NOT NULL,
  position     INTEGER NOT NULL DEFAULT 0
);

-- Officers (role 'officer') process the dossiers of their agencies only.
CREATE TABLE officer_agencies (
  user_id   INTEGER NOT NULL REFERENCES users (id),
  agency_id INTEGER NOT NULL REFERENCES agencies (id),
  PRIMARY KEY (user_id, agency_id)
);

-- Hồ sơ.  status is the national portal's number: 1 Mới đăng ký, 2 Được tiếp nhận, 3 Không được tiếp
-- nhận, 4 Đang xử lý, 5 Yêu cầu bổ sung, 6 Yêu cầu nghĩa vụ tài chính, 7 Rút hồ sơ, 8 Dừng xử lý,
-- 9 Đã xử lý xong, 10 Đã trả kết quả.  Times are UTC Unix seconds; due_at is recomputed from received_at,
-- the procedure's days and the pauses (dossier_events) whenever the clock stops or restarts.
-- token_hash: the hash of the secret the citizen's receipt link carries (supplements, withdrawal, rating).
-- idem_key: the submission form's one-time key, so a retried or double-clicked submit makes one dossier.
CREATE TABLE dossiers (
  id                INTEGER PRIMARY KEY,
  code              TEXT NOT NULL UNIQUE,
  procedure_id      INTEGER NOT NULL REFERENCES procedures (id),
  agency_id         INTEGER NOT NULL REFERENCES agencies (id),
  status            INTEGER NOT NULL DEFAULT 1 CHECK (status BETWEEN 1 AND 10),
  channel           TEXT NOT NULL DEFAULT 'online' CHECK (channel IN ('online', 'counter', 'api')),
  lang              TEXT NOT NULL DEFAULT 'vi',
  applicant_name    TEXT NOT NULL,
  applicant_id      TEXT NOT NULL,        -- CCCD, 12 digits
  applicant_dob     TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD
  applicant_address TEXT NOT NULL DEFAULT '',
  applicant_phone   TEXT NOT NULL,        -- normalized 0…
  applicant_email   TEXT NOT NULL DEFAULT '',
  request           TEXT NOT NULL DEFAULT '',
  submitted_at      BIGINT NOT NULL,
  received_at       BIGINT,               -- tiếp nhận: the clock starts
  due_at            BIGINT,               -- hẹn trả
  apology_due_at    BIGINT,               -- the new date of an apology (once only)
  finished_at       BIGINT,               -- đã xử lý xong
  returned_at       BIGINT,               -- đã trả kết quả
  token_hash        TEXT NOT NULL,
  idem_key          TEXT NOT NULL UNIQUE,
  rating            INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 3), -- 3 Rất hài lòng, 2 Hài lòng, 1 Chưa hài lòng
  rating_comment    TEXT NOT NULL DEFAULT '',
  rated_at          BIGINT,
  updated_at        BIGINT NOT NULL
);
CREATE INDEX dossiers_by_agency ON dossiers (agency_id, status, due_at);
CREATE INDEX dossiers_by_procedure ON dossiers (procedure_id, submitted_at);
CREATE INDEX dossiers_by_time ON dossiers (submitted_at);

-- The per-agency daily sequence of dossier codes: NNNN of <agency code>-<YYMMDD>-<NNNN>.
CREATE TABLE dossier_seq (
  agency_id INTEGER NOT NULL REFERENCES agencies (id),
  day       TEXT NOT NULL,              -- YYMMDD, Vietnam date
  n         INTEGER NOT NULL,
  PRIMARY KEY (agency_id, day)
);

-- Files of a dossier, under DATA/dossiers/<stored>; written and fsynced before the row is committed.
-- doc_id: the procedure's document slot; NULL for a file added by an officer (a result, a notice).
CREATE TABLE dossier_files (
  id          INTEGER PRIMARY KEY,
  dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
  doc_id      INTEGER REFERENCES procedure_docs (id),
  stored      TEXT NOT NULL UNIQUE,
  filename    TEXT NOT NULL,
  mime        TEXT NOT NULL,
  bytes       BIGINT NOT NULL,
  sha256      TEXT NOT NULL,
  added_by    TEXT NOT NULL DEFAULT 'citizen' CHECK (added_by IN ('citizen', 'officer')),
  added_at    BIGINT NOT NULL
);
CREATE INDEX dossier_files_by_dossier ON dossier_files (dossier_id);

-- Phiếu kiểm soát quá trình: every transition, by whom (NULL user: the citizen or the system), when,
-- from which state to which, with the note; kind names what happened beyond the state (e.g. 'apology').
CREATE TABLE dossier_events (
  id          INTEGER PRIMARY KEY,
  dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
  at          BIGINT NOT NULL,
  user_id     INTEGER REFERENCES users (id),
  actor       TEXT NOT NULL DEFAULT '',   -- the name shown on the control sheet
  from_status INTEGER NOT NULL,
  to_status   INTEGER NOT NULL,
  kind        TEXT NOT NULL DEFAULT 'transition',
  note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dossier_events_by_dossier ON dossier_events (dossier_id, at);

-- The yearly announced schedule laid over the computed days off (svc/workday.h): off 1 = a day off
-- (name shown), off 0 = a working day.  day is YYYY-MM-DD.
CREATE TABLE calendar_days (
  day  TEXT PRIMARY KEY,
  off  INTEGER NOT NULL,
  name TEXT NOT NULL DEFAULT ''
);
