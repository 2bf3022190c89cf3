/* ident: the identifiers people type into forms and look-up boxes: the citizen identity number (CCCD),
 * Vietnamese phone numbers, and dossier codes.  Each check normalises what it accepts (separators gone,
 * one canonical spelling) so that the stored value, and any look-up by it, is always spelled the same.
 * Errors are codes, not text, so that a form can say them in the reader's language; ident_strerror gives
 * the English for logs and the command line. */
#ifndef SVC_IDENT_H
#define SVC_IDENT_H
#include <stddef.h>

enum {
	IDENT_OK = 0,
	IDENT_EEMPTY,    /* nothing but separators */
	IDENT_ECHAR,     /* a character that is neither a digit nor an accepted separator */
	IDENT_ELENGTH,   /* the wrong number of digits */
	IDENT_EPROVINCE, /* CCCD: not a province code */
	IDENT_ECENTURY,  /* CCCD: a century digit for nobody alive (born 2100 or later) */
	IDENT_EBIRTH,    /* CCCD: century and year digits disagree with the birth year given */
	IDENT_EPREFIX,   /* phone: not a mobile (03, 05, 07, 08, 09) or landline (02) number */
	IDENT_EAGENCY,   /* dossier code: bad agency code */
	IDENT_EDATE,     /* dossier code: bad YYMMDD */
	IDENT_ESEQ,      /* dossier code: sequence not 0001–9999 */
	IDENT_EFORMAT,   /* dossier code: not AGENCY-YYMMDD-NNNN */
};

/* English text of an IDENT_* code, lowercase, for logs and the command line. */
const char *ident_strerror(int err);

/* ---- citizen identity number (căn cước công dân, Circular 07/2016/TT-BCA) --------------------------- */

typedef struct ident_cccd {
	char digits[13]; /* the 12 digits */
	int province;    /* the province code of the place of birth registration, e.g. 1 Hà Nội, 79 TP.HCM */
	int female;      /* 1 female, 0 male */
	int birth_year;  /* from the century digit and the two year digits */
} ident_cccd_t;

/* Checks a CCCD number: 12 digits (spaces, dots and dashes between them ignored), a province code of one
 * of the 63 provinces as numbered before the 2025 mergers (numbers already issued keep their code), a
 * century-and-sex digit 0–3 (0/1 men and women born 1900–1999, 2/3 born 2000–2099) and, when birth_year is
 * not 0, the year digits and century of that year.  IDENT_OK with *out filled (out may be NULL), or an
 * error code. */
int ident_cccd_check(const char *s, int birth_year, ident_cccd_t *out);

/* ---- phone numbers ---------------------------------------------------------------------------------- */

#define IDENT_PHONE_MAX 12 /* the longest normalised number (a landline, 11 digits) and its NUL */
enum { IDENT_PHONE_MOBILE = 1, IDENT_PHONE_LANDLINE };

/* Checks a Vietnamese phone number and writes its national form (digits only, leading 0) into out:
 * a mobile 0[35789] + 8 digits, or a landline 02 + 9 digits (the area codes of 2017 and on: 024 + 8 digits
 * for Hà Nội, 0238 + 7 for Nghệ An, …).  Spaces, dots, dashes and parentheses are ignored; the country
 * code may stand for the leading 0 as +84, 0084 or a bare 84 (no national number starts with 8), and a
 * trunk 0 written after it ("+84 (0)912…") is dropped.  Service numbers (1800, 1900) and the retired
 * 11-digit mobiles (01x) are refused.  IDENT_OK with *kind set (kind may be NULL), or an error code. */
int ident_phone_norm(const char *s, char out[IDENT_PHONE_MAX], int *kind);

/* ---- dossier codes (mã hồ sơ: <agency code>-<YYMMDD>-<NNNN>, e.g. 000.00.30.H23-231201-0001) --------- */

#define IDENT_AGENCY_MIN 2
#define IDENT_AGENCY_MAX 20
#define IDENT_DOSSIER_MAX (IDENT_AGENCY_MAX + 13) /* agency, "-YYMMDD-NNNN" and the NUL */

typedef struct ident_dossier {
	char agency[IDENT_AGENCY_MAX + 1];
	int y, m, d; /* the local date of receipt, 2000–2099 */
	int seq;     /* the agency's count of dossiers that day, 1–9999 */
} ident_dossier_t;

/* Checks an agency code: 2–20 of A–Z, 0–9 and '.', beginning and ending with a letter or digit, no two
 * dots in a row (the codes of the national catalogue of agencies look like 000.00.30.H23).  IDENT_OK or
 * IDENT_EAGENCY. */
int ident_agency_check(const char *agency);
/* Writes the code of c into out.  IDENT_OK, or the code of the first bad field (nothing written). */
int ident_dossier_format(const ident_dossier_t *c, char out[IDENT_DOSSIER_MAX]);
/* Parses a dossier code as a person may type it into the look-up box: surrounding whitespace ignored,
 * lowercase letters taken as uppercase.  IDENT_OK with *out filled, or an error code;
 * ident_dossier_format of the result gives the canonical spelling. */
int ident_dossier_parse(const char *s, ident_dossier_t *out);
#endif
