#include "svc/ident.h"

#include <string.h>

#include "svc/civil.h"

const char *ident_strerror(int err)
{
	switch (err) {
	case IDENT_OK: return "ok";
	case IDENT_EEMPTY: return "empty";
	case IDENT_ECHAR: return "unexpected character";
	case IDENT_ELENGTH: return "wrong number of digits";
	case IDENT_EPROVINCE: return "unknown province code";
	case IDENT_ECENTURY: return "impossible century digit";
	case IDENT_EBIRTH: return "does not match the year of birth";
	case IDENT_EPREFIX: return "not a Vietnamese mobile or landline number";
	case IDENT_EAGENCY: return "bad agency code";
	case IDENT_EDATE: return "bad date";
	case IDENT_ESEQ: return "bad sequence number";
	case IDENT_EFORMAT: return "not of the form AGENCY-YYMMDD-NNNN";
	}
	return "unknown error";
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Copies the digits of s into out (at most cap - 1 of them, NUL-terminated), skipping the separators in
 * seps.  The number of digits (cap when there were too many), or -1 on any other character. */
static int collect_digits(const char *s, const char *seps, char *out, int cap)
{
	int n = 0;
	for (; *s; s++) {
		if (is_digit(*s)) {
			if (n == cap - 1)
				return cap;
			out[n++] = *s;
		} else if (!strchr(seps, *s)) {
			return -1;
		}
	}
	out[n] = '\0';
	return n;
}

/* ---- CCCD --------------------------------------------------------------------------------------------- */

/* The province codes of Circular 07/2016/TT-BCA, the same as the codes of the provinces in the national
 * list of administrative units (Decision 124/2004/QĐ-TTg) as they stood before the 2025 mergers. */
static const unsigned char provinces[] = {
	1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
	34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66,
	67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
};

int ident_cccd_check(const char *s, int birth_year, ident_cccd_t *out)
{
	char d[13];
	int n = collect_digits(s, " .-", d, sizeof(d));
	if (n < 0)
		return IDENT_ECHAR;
	if (n == 0)
		return IDENT_EEMPTY;
	if (n != 12)
		return IDENT_ELENGTH;
	int province = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0'), known = 0;
	for (size_t i = 0; i < sizeof(provinces); i++)
		known |= provinces[i] == province;
	if (!known)
		return IDENT_EPROVINCE;
	int cs = d[3] - '0';
	if (cs > 3) /* 4–9 stand for the 22nd to 24th centuries */
		return IDENT_ECENTURY;
	int year = 1900 + cs / 2 * 100 + (d[4] - '0') * 10 + (d[5] - '0');
	if (birth_year && birth_year != year)
		return IDENT_EBIRTH;
	if (out) {
		memcpy(out->digits, d, sizeof(d));
		out->province = province;
		out->female = cs % 2;
		out->birth_year = year;
	}
	return IDENT_OK;
}

/* ---- phone numbers ------------------------------------------------------------------------------------ */

int ident_phone_norm(const char *s, char out[IDENT_PHONE_MAX], int *kind)
{
	const char *q = s;
	while (*q == ' ' || *q == '(')
		q++;
	int plus = *q == '+'; /* "+84 …", "(+84) …" */
	char d[16];
	int n = collect_digits(plus ? q + 1 : s, " .-()", d, sizeof(d));
	if (n < 0)
		return IDENT_ECHAR;
	if (n == 0)
		return IDENT_EEMPTY;
	if (n >= (int)sizeof(d))
		return IDENT_ELENGTH;
	/* nat: the national number without its leading 0 */
	const char *nat;
	if (plus && strncmp(d, "84", 2) != 0)
		return IDENT_EPREFIX; /* another country */
	if (plus || strncmp(d, "84", 2) == 0)
		nat = d + 2; /* no national number starts with 8, so a bare 84 is the country code */
	else if (strncmp(d, "0084", 4) == 0)
		nat = d + 4;
	else if (d[0] == '0')
		nat = d + 1;
	else
		return IDENT_EPREFIX;
	if (nat != d + 1 && *nat == '0')
		nat++; /* "+84 (0)912 …" */
	int k = *nat && strchr("35789", *nat) ? IDENT_PHONE_MOBILE : *nat == '2' ? IDENT_PHONE_LANDLINE : 0;
	if (!k)
		return IDENT_EPREFIX;
	size_t len = strlen(nat);
	if (len != (k == IDENT_PHONE_MOBILE ? 9u : 10u))
		return IDENT_ELENGTH;
	out[0] = '0';
	memcpy(out + 1, nat, len + 1);
	if (kind)
		*kind = k;
	return IDENT_OK;
}

/* ---- dossier codes ------------------------------------------------------------------------------------ */

static int alnum_upper(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z');
}

int ident_agency_check(const char *a)
{
	size_t n = strlen(a);
	if (n < IDENT_AGENCY_MIN || n > IDENT_AGENCY_MAX || !alnum_upper(a[0]) || !alnum_upper(a[n - 1]))
		return IDENT_EAGENCY;
	for (size_t i = 0; i < n; i++)
		if (!(alnum_upper(a[i]) || (a[i] == '.' && a[i + 1] != '.')))
			return IDENT_EAGENCY;
	return IDENT_OK;
}

int ident_dossier_format(const ident_dossier_t *c, char out[IDENT_DOSSIER_MAX])
{
	if (ident_agency_check(c->agency) != IDENT_OK)
		return IDENT_EAGENCY;
	if (c->y < 2000 || c->y > 2099 || !civil_valid(c->y, c->m, c->d))
		return IDENT_EDATE;
	if (c->seq < 1 || c->seq > 9999)
		return IDENT_ESEQ;
	size_t n = strlen(c->agency);
	int v[4] = {c->y % 100, c->m, c->d, c->seq};
	char *p = out + n;
	memcpy(out, c->agency, n);
	*p++ = '-';
	for (int i = 0; i < 3; i++) {
		*p++ = (char)('0' + v[i] / 10);
		*p++ = (char)('0' + v[i] % 10);
	}
	*p++ = '-';
	for (int div = 1000; div; div /= 10)
		*p++ = (char)('0' + v[3] / div % 10);
	*p = '\0';
	return IDENT_OK;
}

static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int ident_dossier_parse(const char *s, ident_dossier_t *out)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	/* AGENCY "-" YYMMDD "-" NNNN: the agency code has no dash, so the tail is at fixed offsets */
	if (n < IDENT_AGENCY_MIN + 12 || n > IDENT_AGENCY_MAX + 12 || s[n - 5] != '-' || s[n - 12] != '-')
		return IDENT_EFORMAT;
	const char *date = s + n - 11, *seq = s + n - 4;
	for (int i = 0; i < 6; i++)
		if (!is_digit(date[i]))
			return IDENT_EFORMAT;
	for (int i = 0; i < 4; i++)
		if (!is_digit(seq[i]))
			return IDENT_EFORMAT;
	ident_dossier_t c;
	size_t an = n - 12;
	for (size_t i = 0; i < an; i++)
		c.agency[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i];
	c.agency[an] = '\0';
	if (ident_agency_check(c.agency) != IDENT_OK)
		return strchr(c.agency, '-') ? IDENT_EFORMAT : IDENT_EAGENCY;
	c.y = 2000 + two(date);
	c.m = two(date + 2);
	c.d = two(date + 4);
	if (!civil_valid(c.y, c.m, c.d))
		return IDENT_EDATE;
	c.seq = two(seq) * 100 + two(seq + 2);
	if (c.seq < 1)
		return IDENT_ESEQ;
	*out = c;
	return IDENT_OK;
}
