/* api/procedures: the procedure catalog in the public read API (docs/API.md, "Procedure catalog"):
 * GET /api/v1/procedures (filters field, agency, level, q, lang, page) and GET /api/v1/procedures/{code}
 * (every field, documents with the ids the submission API names its file parts by, forms with download
 * URLs).  Published procedures only; cacheable like pages; the public API's rate limit. */
#ifndef API_PROCEDURES_H
#define API_PROCEDURES_H
#include "app/app.h"

extern const app_route_t api_procedure_routes[];
#endif
