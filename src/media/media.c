#include "media/media.h"

#include "core/fsio.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <vips/vips.h>

#include "core/buf.h"

static const int media_widths[] = {480, 960, 1600};

/* libvips starts on the first image, not with the server: it costs about 20 ms and 9 MB that a server
 * which only serves pages never needs. */
static pthread_once_t media_once = PTHREAD_ONCE_INIT;
static int media_ok;

static void media_start(void)
{
	media_ok = VIPS_INIT("cong") == 0 && sodium_init() >= 0;
	if (media_ok) {
		vips_cache_set_max(0); /* every image is different: libvips' operation cache only costs memory here */
		vips_concurrency_set(1);
	}
}

static int media_ready(void)
{
	pthread_once(&media_once, media_start);
	return media_ok ? 0 : -1;
}

/* One JPEG of at most width pixels across: decoded again from the upload so that libvips can shrink on load. */
static int media_variant(const void *data, size_t len, int width, void **out, size_t *outlen)
{
	VipsImage *thumb = NULL, *flat = NULL;
	int rc = -1;
	if (vips_thumbnail_buffer((void *)data, len, &thumb, width, "height", 100000, "size", VIPS_SIZE_DOWN, "no_rotate",
				  FALSE, NULL) != 0)
		goto out;
	if (vips_image_hasalpha(thumb)) { /* JPEG has no alpha: put transparent images on white */
		double white[] = {255, 255, 255};
		if (vips_flatten(thumb, &flat, "background", vips_array_double_new(white, 3), NULL) != 0)
			goto out;
	} else {
		flat = thumb;
		g_object_ref(flat);
	}
	rc = vips_jpegsave_buffer(flat, out, outlen, "Q", 82, "strip", TRUE, "interlace", TRUE, "optimize_coding", TRUE,
				  NULL) == 0 ? 0 : -1;
out:
	if (thumb)
		g_object_unref(thumb);
	if (flat)
		g_object_unref(flat);
	return rc;
}

int media_store(db_t *db, const char *media_dir, const void *data, size_t len, const char *alt, const char *caption,
		long long *id, const char **err)
{
	*err = NULL;
	if (media_ready() < 0) {
		*err = "The image could not be saved.";
		return -1;
	}
	if (len > MEDIA_MAX_BYTES) {
		*err = "The image is larger than 20 MB.";
		return -1;
	}
	const char *loader = vips_foreign_find_load_buffer(data, len);
	if (!loader || (strcmp(loader, "VipsForeignLoadJpegBuffer") != 0 && strcmp(loader, "VipsForeignLoadPngBuffer") != 0 &&
			strcmp(loader, "VipsForeignLoadWebpBuffer") != 0)) {
		vips_error_clear();
		*err = "The file is not a JPEG, PNG or WebP image.";
		return -1;
	}
	VipsImage *im = vips_image_new_from_buffer(data, len, "", "fail", TRUE, NULL);
	if (!im) {
		vips_error_clear();
		*err = "The image is damaged and cannot be read.";
		return -1;
	}
	int width = im->Xsize, height = im->Ysize;
	/* decoding the pixels (not just the header) is what proves the file is an image */
	double avg;
	int decoded = (size_t)width * (size_t)height <= MEDIA_MAX_PIXELS && vips_avg(im, &avg, NULL) == 0;
	g_object_unref(im);
	if (!decoded) {
		vips_error_clear();
		*err = (size_t)width * (size_t)height > MEDIA_MAX_PIXELS ? "The image has too many pixels (at most 50 megapixels)."
									 : "The image is damaged and cannot be read.";
		return -1;
	}
	unsigned char rnd[8];
	randombytes_buf(rnd, sizeof(rnd));
	char name[17];
	for (int i = 0; i < 8; i++)
		snprintf(name + 2 * i, 3, "%02x", rnd[i]);
	long long bytes = 0;
	for (size_t i = 0; i < sizeof(media_widths) / sizeof(media_widths[0]); i++) {
		void *jpg;
		size_t jl;
		if (media_variant(data, len, media_widths[i], &jpg, &jl) < 0) {
			vips_error_clear();
			*err = "The image is damaged and cannot be read.";
			return -1;
		}
		char file[64];
		snprintf(file, sizeof(file), "%s-%d.jpg", name, media_widths[i]);
		int w = fsio_write(media_dir, file, jpg, jl, 0644);
		if (w == 0 && media_widths[i] == 1600) {
			snprintf(file, sizeof(file), "%s.jpg", name);
			w = fsio_write(media_dir, file, jpg, jl, 0644);
			bytes = (long long)jl;
		}
		g_free(jpg);
		if (w < 0) {
			*err = "The image could not be saved.";
			return -1;
		}
	}
	if (fsio_sync_dir(media_dir) < 0) {
		*err = "The image could not be saved.";
		return -1;
	}
	if (width > 1600) { /* the stored original is the 1600-wide variant */
		height = (int)((long long)height * 1600 / width);
		width = 1600;
	}
	if (db_execf(db, "INSERT INTO media (name, mime, width, height, bytes, alt, caption, created_at)"
			 " VALUES (?, 'image/jpeg', ?, ?, ?, ?, ?, ?)",
		     "siiissi", name, (long long)width, (long long)height, bytes, alt ? alt : "", caption ? caption : "",
		     (long long)time(NULL)) < 0) {
		*err = "The image could not be saved.";
		return -1;
	}
	*id = db_last_id(db);
	return 0;
}

/* ---- demo illustrations ---------------------------------------------------------------------------- */

static const struct media_scene {
	const char *keyword;
	const char *sky1, *sky2, *ground, *accent;
} media_scenes[] = {
	{"field", "#7ec8f0", "#d8f0fb", "#6fae3c", "#e9c94a"},   {"river", "#8fc9ee", "#e2f3fb", "#4f9a4a", "#3b82c4"},
	{"bridge", "#f2b880", "#fde4c8", "#5d8f4e", "#8a8f98"},  {"school", "#9cd3f5", "#eef8fd", "#7fb85a", "#d84a3a"},
	{"hospital", "#a9d8f2", "#f1f9fd", "#8cc0a0", "#ffffff"}, {"festival", "#f7a35c", "#fde0b3", "#b5483a", "#f2d04b"},
	{"factory", "#b6c5d3", "#e7edf2", "#7d8b74", "#55606e"}, {"meeting", "#cfd8e3", "#f4f6f9", "#9d2a22", "#e8c04a"},
	{"road", "#8cc6ee", "#e6f4fc", "#6b9f4b", "#5c5c60"},    {"port", "#79b9e6", "#dcefff", "#2f6ea3", "#d35b3a"},
	{"forest", "#9bd0ee", "#e5f4fb", "#2f7a3a", "#1f5a2a"},  {"market", "#f5c27a", "#fdebd0", "#a4683a", "#e2453b"},
	{"temple", "#f1b27a", "#fde5cb", "#6c8f4a", "#b8322a"},  {"harvest", "#f4cf7a", "#fdf1cf", "#c8a23a", "#7a9f3a"},
	{"digital", "#1f3b6b", "#3f6fb0", "#24324a", "#4fd1e8"}, {"border", "#a7cbe6", "#eef6fb", "#577c45", "#c23b2c"},
};

/* A small LCG: the pictures only need to differ, and to be the same on every run. */
static int media_rnd(unsigned *r, int n)
{
	*r = *r * 1103515245u + 12345u;
	return (int)((*r >> 8) % (unsigned)n);
}

int media_demo_image(const char *keyword, unsigned seed, void **png, size_t *len)
{
	if (media_ready() < 0)
		return -1;
	const struct media_scene *s = &media_scenes[0];
	for (size_t i = 0; i < sizeof(media_scenes) / sizeof(media_scenes[0]); i++)
		if (strcmp(media_scenes[i].keyword, keyword) == 0)
			s = &media_scenes[i];
	/* a landscape of layered hills whose shape depends on the seed, with the scene's accent shapes */
	buf_t svg;
	buf_init(&svg, 1 << 16);
	unsigned r = seed * 2654435761u + 12345u;
	buf_appendf(&svg,
		    "<svg xmlns='http://www.w3.org/2000/svg' width='1600' height='900' viewBox='0 0 1600 900'>"
		    "<defs><linearGradient id='s' x1='0' y1='0' x2='0' y2='1'><stop offset='0' stop-color='%s'/>"
		    "<stop offset='1' stop-color='%s'/></linearGradient></defs>"
		    "<rect width='1600' height='900' fill='url(#s)'/>"
		    "<circle cx='%d' cy='%d' r='%d' fill='#fff6d5' opacity='0.85'/>",
		    s->sky1, s->sky2, 200 + media_rnd(&r, 1200), 120 + media_rnd(&r, 160), 50 + media_rnd(&r, 40));
	for (int layer = 0; layer < 3; layer++) {
		int base = 480 + layer * 130;
		buf_appendf(&svg, "<path d='M0 %d", base);
		for (int x = 0; x <= 1600; x += 200)
			buf_appendf(&svg, " Q %d %d %d %d", x + 100, base - 60 - media_rnd(&r, 140), x + 200, base - media_rnd(&r, 40));
		buf_appendf(&svg, " L1600 900 L0 900 Z' fill='%s' opacity='%.2f'/>", s->ground, 0.55 + 0.2 * layer);
	}
	if (!strcmp(keyword, "river") || !strcmp(keyword, "bridge") || !strcmp(keyword, "port"))
		buf_appendf(&svg, "<path d='M0 780 C 400 700, 900 860, 1600 740 L1600 900 L0 900 Z' fill='#3b82c4' opacity='0.9'/>");
	if (!strcmp(keyword, "bridge"))
		buf_appendf(&svg, "<path d='M150 700 Q 800 430 1450 700' stroke='%s' stroke-width='26' fill='none'/>"
				  "<rect x='150' y='690' width='1300' height='22' fill='%s'/>", s->accent, s->accent);
	int nb = strcmp(keyword, "field") && strcmp(keyword, "forest") && strcmp(keyword, "harvest") && strcmp(keyword, "river");
	for (int i = 0; nb && i < 5 + media_rnd(&r, 5); i++) { /* buildings, stalls or cranes as simple blocks */
		int w = 80 + media_rnd(&r, 120), h = 90 + media_rnd(&r, 220), x = 80 + media_rnd(&r, 1400);
		buf_appendf(&svg, "<rect x='%d' y='%d' width='%d' height='%d' fill='%s' opacity='0.92'/>"
				  "<rect x='%d' y='%d' width='%d' height='%d' fill='#ffffff' opacity='0.5'/>",
			    x, 700 - h, w, h, s->accent, x + w / 4, 700 - h + 20, w / 2, h / 5);
	}
	if (!nb)
		for (int i = 0; i < 40; i++) /* rows of rice or trees */
			buf_appendf(&svg, "<ellipse cx='%d' cy='%d' rx='%d' ry='%d' fill='%s' opacity='0.8'/>", media_rnd(&r, 1600),
				    640 + media_rnd(&r, 240), 20 + media_rnd(&r, 30), 8 + media_rnd(&r, 12), s->accent);
	buf_puts(&svg, "</svg>");
	VipsImage *im = NULL, *flat = NULL;
	int rc = -1;
	if (vips_svgload_buffer(svg.data, svg.len, &im, NULL) == 0 &&
	    vips_flatten(im, &flat, NULL) == 0 && vips_pngsave_buffer(flat, png, len, "compression", 1, NULL) == 0)
		rc = 0;
	if (im)
		g_object_unref(im);
	if (flat)
		g_object_unref(flat);
	buf_release(&svg);
	return rc;
}

void media_free(void *p)
{
	g_free(p);
}
