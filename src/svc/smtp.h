/* smtp: a small SMTP client (RFC 5321) for the portal's own mail — receipts of dossiers — to a relay the
 * operator runs (a local Postfix, or a smarthost that relay forwards to): plain SMTP, EHLO, one sender, one
 * recipient per message.  TLS and authentication are the relay's business, not the portal's: the portal
 * keeps no mail password and never talks to the outside world's MX hosts itself (docs/ARCHITECTURE.md).
 *
 * Messages are built here too: headers a recipient's address or a subject cannot break (CR and LF are
 * removed, so no header can be injected), a UTF-8 subject in RFC 2047 encoded words, the body in UTF-8
 * 8bit with CRLF line ends, and dot-stuffing on the wire. */
#ifndef SVC_SMTP_H
#define SVC_SMTP_H
#include <stddef.h>

#include "core/buf.h"

enum { SMTP_OK = 0, SMTP_PERMANENT = 1, SMTP_TEMPORARY = -1 };

/* 1 when s looks like an address we may send to: local@domain, 3–254 bytes of printable ASCII without
 * spaces, quotes, angle brackets or commas, one '@', a dot in the domain part, no empty labels. */
int smtp_address_ok(const char *s);

/* Appends a header value to out with every CR, LF and other C0 control removed. */
int smtp_append_clean(buf_t *out, const char *s);
/* Appends subject as a header value: itself when it is printable ASCII, else RFC 2047 "=?UTF-8?B?…?="
 * words of at most 75 bytes, split between whole UTF-8 characters and folded onto continuation lines. */
int smtp_append_subject(buf_t *out, const char *subject);

/* Builds a whole message (headers, blank line, body) into out: From, To, Subject, Date (now, in +0700),
 * Message-ID (random, @ the sender's domain), MIME-Version and a text/plain UTF-8 8bit body whose line
 * ends become CRLF and whose lines longer than 998 bytes are broken.  Not dot-stuffed: smtp_send does that.
 * 0, or -1 when out hit its cap. */
int smtp_format(buf_t *out, const char *from, const char *to, const char *subject, const char *body, long long now);

/* Appends data to out as the DATA section sends it: a '.' starting a line doubled, line ends CRLF, ended by
 * "\r\n.\r\n".  0 or -1. */
int smtp_dot_stuff(buf_t *out, const char *data, size_t n);

/* Sends one message (data from smtp_format) through the relay host:port, each step within timeout_s
 * seconds.  SMTP_OK when the relay took it; SMTP_PERMANENT on a 5xx answer (retrying will not help);
 * SMTP_TEMPORARY on anything else (no connection, a 4xx, a timeout).  err (errsz bytes) gets a short
 * description of a failure, without the message. */
int smtp_send(const char *host, int port, int timeout_s, const char *helo, const char *from, const char *to,
	      const char *data, size_t len, char *err, size_t errsz);
#endif
