#include "svc/smtp.h"

#include <errno.h>
#include <netdb.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int smtp_address_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 3 || n > 254)
		return 0;
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || !at[1])
		return 0;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c >= 0x7f || strchr("\"<>(),;:\\[]", c))
			return 0;
	}
	const char *d = at + 1, *dot = strchr(d, '.');
	if (!dot || d[0] == '.' || s[n - 1] == '.' || strstr(d, "..") || at[-1] == '.' || s[0] == '.')
		return 0;
	return 1;
}

int smtp_append_clean(buf_t *out, const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s >= ' ' && *s != 0x7f && buf_putc(out, *s) < 0)
			return -1;
	return 0;
}

/* The length of the UTF-8 character starting with byte c (1 for a stray continuation byte). */
static size_t smtp_u8len(unsigned char c)
{
	return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

int smtp_append_subject(buf_t *out, const char *subject)
{
	buf_t clean;
	buf_init(&clean, 4096);
	int rc = -1, ascii = 1;
	if (smtp_append_clean(&clean, subject) < 0)
		goto out;
	const char *s = buf_cstr(&clean);
	size_t n = clean.len;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			ascii = 0;
	if (ascii) {
		rc = buf_append(out, s, n);
		goto out;
	}
	/* "=?UTF-8?B?" + base64 + "?=" ≤ 75: 45 bytes of text make 60 of base64 */
	size_t i = 0;
	int first = 1;
	while (i < n) {
		size_t take = 0;
		while (i + take < n) {
			size_t c = smtp_u8len((unsigned char)s[i + take]);
			if (take + c > 45)
				break;
			take += c;
		}
		if (take == 0) /* a broken sequence longer than the room: take what is there */
			take = n - i < 45 ? n - i : 45;
		char b64[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s + i, take, sodium_base64_VARIANT_ORIGINAL);
		if (buf_appendf(out, "%s=?UTF-8?B?%s?=", first ? "" : "\r\n ", b64) < 0)
			goto out;
		first = 0;
		i += take;
	}
	rc = 0;
out:
	buf_release(&clean);
	return rc;
}

int smtp_format(buf_t *out, const char *from, const char *to, const char *subject, const char *body, long long now)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t lt = (time_t)(now + 7 * 3600);
	struct tm tm;
	gmtime_r(&lt, &tm);
	unsigned char rnd[12];
	char id[25];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(id, sizeof(id), rnd, sizeof(rnd));
	const char *domain = from ? strchr(from, '@') : NULL;
	if (buf_puts(out, "From: ") < 0 || smtp_append_clean(out, from) < 0 || buf_puts(out, "\r\nTo: ") < 0 ||
	    smtp_append_clean(out, to) < 0 || buf_puts(out, "\r\nSubject: ") < 0 || smtp_append_subject(out, subject) < 0 ||
	    buf_appendf(out, "\r\nDate: %s, %d %s %d %02d:%02d:%02d +0700\r\nMessage-ID: <%s@", days[tm.tm_wday], tm.tm_mday,
			months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, id) < 0 ||
	    smtp_append_clean(out, domain ? domain + 1 : "localhost") < 0 ||
	    buf_puts(out, ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
			  "Content-Transfer-Encoding: 8bit\r\n\r\n") < 0)
		return -1;
	size_t col = 0;
	for (const char *p = body ? body : ""; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n' || col >= 998) {
			if (buf_puts(out, "\r\n") < 0)
				return -1;
			col = 0;
			if (*p == '\n')
				continue;
		}
		if (buf_putc(out, *p) < 0)
			return -1;
		col++;
	}
	return col ? buf_puts(out, "\r\n") : 0;
}

int smtp_dot_stuff(buf_t *out, const char *data, size_t n)
{
	int bol = 1;
	for (size_t i = 0; i < n; i++) {
		char c = data[i];
		if (c == '\r')
			continue; /* line ends are written as CRLF below, whatever came in */
		if (bol && c == '.' && buf_putc(out, '.') < 0)
			return -1;
		if (c == '\n') {
			if (buf_puts(out, "\r\n") < 0)
				return -1;
			bol = 1;
			continue;
		}
		if (buf_putc(out, c) < 0)
			return -1;
		bol = 0;
	}
	return buf_puts(out, bol ? ".\r\n" : "\r\n.\r\n");
}

/* ---- the conversation ---------------------------------------------------------------------------- */

typedef struct smtp_conn {
	int fd;
	char in[4096];
	size_t have;
	char *err;
	size_t errsz;
} smtp_conn_t;

static int smtp_write(smtp_conn_t *c, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(c->fd, s, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(c->err, c->errsz, "cannot write to the relay: %s", w < 0 ? strerror(errno) : "closed");
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads one reply (all its lines); its code, or -1 (connection lost, timeout, garbage). */
static int smtp_reply(smtp_conn_t *c)
{
	for (;;) {
		char *nl;
		while ((nl = memchr(c->in, '\n', c->have)) != NULL) {
			size_t len = (size_t)(nl - c->in) + 1;
			int code = -1, last = 0;
			if (len >= 4 && c->in[0] >= '1' && c->in[0] <= '5' && c->in[1] >= '0' && c->in[1] <= '9' &&
			    c->in[2] >= '0' && c->in[2] <= '9') {
				code = (c->in[0] - '0') * 100 + (c->in[1] - '0') * 10 + (c->in[2] - '0');
				last = c->in[3] != '-';
			}
			if (code < 0 || last) {
				size_t show = len > 200 ? 200 : len;
				while (show && (c->in[show - 1] == '\n' || c->in[show - 1] == '\r'))
					show--;
				snprintf(c->err, c->errsz, "relay said: %.*s", (int)show, c->in);
				for (char *p = c->err; *p; p++)
					if ((unsigned char)*p < ' ')
						*p = ' ';
			}
			memmove(c->in, c->in + len, c->have - len);
			c->have -= len;
			if (code < 0)
				return -1;
			if (last)
				return code;
		}
		if (c->have == sizeof(c->in)) {
			snprintf(c->err, c->errsz, "the relay's reply line is too long");
			return -1;
		}
		ssize_t r = recv(c->fd, c->in + c->have, sizeof(c->in) - c->have, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(c->err, c->errsz, "no reply from the relay: %s", r < 0 ? strerror(errno) : "connection closed");
			return -1;
		}
		c->have += (size_t)r;
	}
}

/* Sends a command (may be NULL: just read the greeting) and checks the reply is want (its first digit
 * when want < 10).  SMTP_OK, SMTP_PERMANENT (5xx) or SMTP_TEMPORARY. */
static int smtp_step(smtp_conn_t *c, const char *cmd, size_t n, int want)
{
	if (cmd && smtp_write(c, cmd, n) < 0)
		return SMTP_TEMPORARY;
	int code = smtp_reply(c);
	if (code < 0)
		return SMTP_TEMPORARY;
	if (want < 10 ? code / 100 == want : code == want)
		return SMTP_OK;
	return code >= 500 ? SMTP_PERMANENT : SMTP_TEMPORARY;
}

static int smtp_connect(const char *host, int port, int timeout_s, char *err, size_t errsz)
{
	char ps[16];
	snprintf(ps, sizeof(ps), "%d", port);
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
	int e = getaddrinfo(host, ps, &hints, &res);
	if (e) {
		snprintf(err, errsz, "cannot resolve the relay '%s': %s", host, gai_strerror(e));
		return -1;
	}
	int fd = -1;
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0)
			continue;
		/* on Linux the send timeout bounds connect() too */
		struct timeval tv = {.tv_sec = timeout_s};
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		snprintf(err, errsz, "cannot connect to the relay %s:%d: %s", host, port, strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

int smtp_send(const char *host, int port, int timeout_s, const char *helo, const char *from, const char *to,
	      const char *data, size_t len, char *err, size_t errsz)
{
	snprintf(err, errsz, "%s", "");
	if (!smtp_address_ok(from) || !smtp_address_ok(to)) {
		snprintf(err, errsz, "bad address");
		return SMTP_PERMANENT;
	}
	smtp_conn_t c = {.fd = smtp_connect(host, port, timeout_s, err, errsz), .err = err, .errsz = errsz};
	if (c.fd < 0)
		return SMTP_TEMPORARY;
	buf_t cmd, body;
	buf_init(&cmd, 1024);
	buf_init(&body, len * 2 + 64);
	int rc = smtp_step(&c, NULL, 0, 220);
	if (rc == SMTP_OK) {
		buf_appendf(&cmd, "EHLO %s\r\n", helo && *helo ? helo : "localhost");
		rc = smtp_step(&c, cmd.data, cmd.len, 250);
	}
	if (rc == SMTP_OK) {
		buf_reset(&cmd);
		buf_appendf(&cmd, "MAIL FROM:<%s>\r\n", from);
		rc = smtp_step(&c, cmd.data, cmd.len, 250);
	}
	if (rc == SMTP_OK) {
		buf_reset(&cmd);
		buf_appendf(&cmd, "RCPT TO:<%s>\r\n", to);
		rc = smtp_step(&c, cmd.data, cmd.len, 2);
	}
	if (rc == SMTP_OK)
		rc = smtp_step(&c, "DATA\r\n", 6, 354);
	if (rc == SMTP_OK) {
		if (smtp_dot_stuff(&body, data, len) < 0) {
			snprintf(err, errsz, "the message is too large");
			rc = SMTP_PERMANENT;
		} else {
			rc = smtp_step(&c, body.data, body.len, 250);
		}
	}
	if (rc != SMTP_TEMPORARY) /* a polite end; its answer does not matter */
		smtp_step(&c, "QUIT\r\n", 6, 221);
	if (rc == SMTP_OK)
		snprintf(err, errsz, "%s", "");
	close(c.fd);
	buf_release(&cmd);
	buf_release(&body);
	return rc;
}
