-- Users, two-factor sign-in and the audit log viewer.
-- A TOTP secret being set up: shown to its owner until a first code confirms it, then moved to totp_secret.
ALTER TABLE users ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';
-- The audit log by object: an object's history, and each user's last sign-in (action 'login' on 'user' #id).
CREATE INDEX audit_by_object ON audit_log (object_type, object_id, at);
