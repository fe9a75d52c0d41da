/* procmaps.h — reading /proc/self/maps (and other small /proc files)
 * without allocating: safe in a signal handler and with other threads
 * paused. */
#ifndef HS_PROCMAPS_H
#define HS_PROCMAPS_H

#include <stddef.h>
#include <stdint.h>

/* One line of /proc/self/maps (or a mapping header line of smaps). */
struct hs_mapping {
	uintptr_t lo, hi;
	char perms[5];		/* "rw-p" */
	int anon;		/* inode 0: no file behind it */
	const char *path;	/* into the line; "" when none */
	size_t path_len;
};

/* Parse one line (no newline); 0, or -1 if it is not a mapping line. */
int hs_mapping_parse(const char *line, size_t len, struct hs_mapping *m);
/* Call fn on every line of the file at path. */
void hs_proc_each_line(const char *path, void (*fn)(const char *line, size_t len, void *ctx), void *ctx);
/* A file read whole into heapscope's own pages, kept for the next read. */
struct hs_text {
	char *p;
	size_t len, cap;
	unsigned moves; /* times growing moved the buffer */
};
/* Read the file at path into t (grown as needed); 0, or -1 (t->len 0). */
int hs_text_read(const char *path, struct hs_text *t);
/* Call fn on every line of t. */
void hs_text_each_line(const struct hs_text *t, void (*fn)(const char *line, size_t len, void *ctx), void *ctx);
/* /proc/self/maps read whole and parsed once, for the callers that go
 * through it several times (a snapshot, the leak scan). Invariant after a
 * successful hs_maps_read: m[0..n) are its mapping lines in order, their
 * paths pointing into text; and, unless 8 reads in a row saw a buffer grow
 * or the array could not grow (then as many lines as fit), neither buffer
 * was grown or moved while the file was read (growing maps memory, which
 * changes the address space being described: it is read again), so no
 * line names memory that reading it replaced. -1 only when nothing could
 * be read. */
struct hs_maps {
	struct hs_text text;
	struct hs_mapping *m;
	size_t n, cap;
};
int hs_maps_read(struct hs_maps *maps);
/* Unmap both buffers (maps is then empty). */
void hs_maps_free(struct hs_maps *maps);
/* Read a whole small file into buf (NUL-terminated); its length or -1. */
long hs_proc_read(const char *path, char *buf, size_t size);
/* This process's executable (readlink of /proc/self/exe), read once and
 * kept: a fork child runs the same image, an exec'd one starts afresh.
 * Its length (0 if unknown) in *len; not NUL-terminated. First called as
 * the trace starts, before the program has threads. */
const char *hs_self_exe(size_t *len);
/* The decimal number at the start of s (skipping blanks). */
uint64_t hs_parse_dec(const char *s);

#endif
