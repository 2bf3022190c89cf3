/* outbox: email owed to someone, kept in the database (table outbox, migration 010) until an SMTP relay
 * took it.  A message is added inside the transaction of the change it reports, so it exists exactly when
 * that change does; the server's mailer thread sends what is due after the commit, never on a request's
 * path, and retries with growing waits, so a relay that is down delays mail without losing it. */
#ifndef SVC_OUTBOX_H
#define SVC_OUTBOX_H
#include "core/config.h"
#include "db/db.h"

#define OUTBOX_MAX_ATTEMPTS 12 /* with waits doubling from cfg.smtp_retry, about two days at the default */
#define OUTBOX_LEASE 120       /* seconds a mailer holds a message it is sending */

/* 1 when the server is set up to send mail (smtp_host and smtp_from set). */
int outbox_enabled(const config_t *cfg);
/* Queues a message to recipient (checked with smtp_address_ok) about ref.  0, or -1 on a bad address or a
 * database error. */
int outbox_add(db_t *db, const char *recipient, const char *subject, const char *body, const char *ref, long long now);
/* Sends the messages due at now through the relay of cfg, up to max of them; each is marked sent, put back
 * for a later try (2^attempts × smtp_retry seconds) or given up.  The number sent, or -1 on a database
 * error. */
int outbox_send_due(db_t *db, const config_t *cfg, long long now, int max);
#endif
