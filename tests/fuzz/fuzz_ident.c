/* libFuzzer target: what citizens type into the dossier forms and the look-up box — CCCD numbers, phone
 * numbers, dossier codes.  A code that parses must format back to a code that parses to the same thing. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "svc/ident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[256];
	if (size >= sizeof(s))
		size = sizeof(s) - 1;
	memcpy(s, data, size);
	s[size] = '\0';
	ident_cccd_t c;
	ident_cccd_check(s, 0, &c);
	ident_cccd_check(s, 1990, &c);
	char phone[IDENT_PHONE_MAX];
	int kind;
	if (ident_phone_norm(s, phone, &kind) == IDENT_OK && ident_phone_norm(phone, phone, &kind) != IDENT_OK)
		__builtin_trap(); /* the normal form is itself a good number */
	ident_dossier_t d, again;
	char code[IDENT_DOSSIER_MAX];
	if (ident_dossier_parse(s, &d) == IDENT_OK) {
		if (ident_dossier_format(&d, code) != IDENT_OK || ident_dossier_parse(code, &again) != IDENT_OK ||
		    memcmp(&d, &again, sizeof(d)) != 0)
			__builtin_trap();
	}
	return 0;
}
