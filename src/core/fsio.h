/* fsio: files that must survive a crash once the program says they are stored (images, dossier
 * documents): written to a temporary name, fsynced, renamed; then the directory fsynced. */
#ifndef CORE_FSIO_H
#define CORE_FSIO_H
#include <stddef.h>

/* Writes n bytes to dir/name through dir/.name.tmp, fsynced and renamed, so a crash never leaves half a
 * file under name.  0 or -1 (nothing left behind). */
int fsio_write(const char *dir, const char *name, const void *p, size_t n, int mode);
/* fsyncs directory dir, so the renames in it are durable.  0 or -1. */
int fsio_sync_dir(const char *dir);
/* Creates dir (mode 0750) unless it exists.  0 or -1. */
int fsio_mkdir(const char *dir);
#endif
