/* citizen: the citizen's side of a dossier, without an account (docs/ARCHITECTURE.md, "Citizen side of
 * dossiers"): the submission form generated from a procedure's documents, the receipt (Giấy tiếp nhận hồ
 * sơ và hẹn trả kết quả) behind the dossier's secret token, supplements, withdrawal and rating through that
 * token, the public lookup by code and the last four digits of the phone or CCCD, and the same as JSON
 * under /api/v1/dossiers.  Every change goes through svc/dossier.h. */
#ifndef SVC_CITIZEN_H
#define SVC_CITIZEN_H
#include "app/app.h"

extern const app_route_t citizen_routes[];

/* The receipt's URL of a dossier in lang, with its token ("/ho-so/<code>?t=…", "/en/dossiers/<code>?t=…"),
 * in the arena. */
char *citizen_receipt_url(arena_t *a, const char *lang, const char *code, const char *token);
#endif
