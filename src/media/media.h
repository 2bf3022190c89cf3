/* media: images under DATA/media with generated names.  Every upload is decoded (which is the validation),
 * auto-rotated, flattened, stripped of metadata and re-encoded as JPEG in the widths the pages ask for. */
#ifndef MEDIA_MEDIA_H
#define MEDIA_MEDIA_H
#include <stddef.h>

#include "db/db.h"

#define MEDIA_MAX_BYTES (20u << 20)
#define MEDIA_MAX_PIXELS (50u * 1000 * 1000)

/* Validates and stores one image (JPEG, PNG or WebP, by content) and records it in the media table.
 * Writes <name>.jpg and <name>-{480,960,1600}.jpg, fsynced, before the row is inserted.  *id gets the
 * row id.  0, or -1 with *err set to a static English msgid fit to show the uploader. */
int media_store(db_t *db, const char *media_dir, const void *data, size_t len, const char *alt, const char *caption,
		long long *id, const char **err);
/* Draws an original illustration for the demo content (keyword: field, river, bridge …) as PNG bytes
 * (release them with media_free).  0 or -1. */
int media_demo_image(const char *keyword, unsigned seed, void **png, size_t *len);
void media_free(void *p);
#endif
