/* procmaps.c — see procmaps.h. Uses open/read/close only. */
#include "procmaps.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "pages.h"

static uintptr_t hex(const char **p, const char *end)
{
	uintptr_t v = 0;
	for (; *p < end; (*p)++) {
		char c = **p;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			break;
		v = v * 16 + (uintptr_t)d;
	}
	return v;
}

static const char *skip_field(const char *p, const char *end)
{
	while (p < end && *p != ' ')
		p++;
	while (p < end && *p == ' ')
		p++;
	return p;
}

int hs_mapping_parse(const char *line, size_t len, struct hs_mapping *m)
{
	const char *p = line, *end = line + len;
	const char *start = p;
	m->lo = hex(&p, end);
	if (p == start || p >= end || *p != '-')
		return -1;
	p++;
	m->hi = hex(&p, end);
	if (end - p < 6 || *p != ' ')
		return -1;
	memcpy(m->perms, p + 1, 4);
	m->perms[4] = 0;
	p = skip_field(p + 1, end); /* perms */
	p = skip_field(p, end);	    /* offset */
	p = skip_field(p, end);	    /* device */
	m->anon = p < end && *p == '0' && (p + 1 == end || p[1] == ' ');
	p = skip_field(p, end);	    /* inode */
	m->path = p;
	m->path_len = (size_t)(end - p);
	return 0;
}

void hs_proc_each_line(const char *path, void (*fn)(const char *line, size_t len, void *ctx), void *ctx)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	char buf[8192];
	size_t have = 0;
	ssize_t r;
	while ((r = read(fd, buf + have, sizeof buf - have)) > 0) {
		have += (size_t)r;
		char *line = buf, *end = buf + have, *nl;
		while ((nl = memchr(line, '\n', (size_t)(end - line)))) {
			fn(line, (size_t)(nl - line), ctx);
			line = nl + 1;
		}
		have = (size_t)(end - line);
		memmove(buf, line, have);
		if (have == sizeof buf)
			have = 0; /* a line longer than the buffer: dropped */
	}
	close(fd);
}

int hs_text_read(const char *path, struct hs_text *t)
{
	t->len = 0;
	if (!t->p) {
		t->cap = 64 << 10;
		t->p = hs_pages_map_internal(t->cap, HS_PAGES_LAZY);
		if (!t->p)
			return -1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t r;
	while ((r = read(fd, t->p + t->len, t->cap - t->len)) > 0) {
		t->len += (size_t)r;
		if (t->len == t->cap) {
			char *n = hs_pages_remap_internal(t->p, t->cap, t->cap * 2);
			if (!n)
				break;
			t->moves += n != t->p;
			t->p = n;
			t->cap *= 2;
		}
	}
	close(fd);
	return r < 0 ? -1 : 0;
}

void hs_text_each_line(const struct hs_text *t, void (*fn)(const char *line, size_t len, void *ctx), void *ctx)
{
	const char *line = t->p, *end = t->p + t->len, *nl;
	while (line < end && (nl = memchr(line, '\n', (size_t)(end - line)))) {
		fn(line, (size_t)(nl - line), ctx);
		line = nl + 1;
	}
}

int hs_maps_read(struct hs_maps *maps)
{
	if (!maps->m) { /* mapped before the first read, not during it */
		maps->m = hs_pages_map_internal(256 * sizeof *maps->m, HS_PAGES_LAZY);
		if (!maps->m)
			return -1;
		maps->cap = 256;
	}
	/* Read again while a buffer grew during the read; after 8 tries, or if
	 * the array cannot grow, what was read is parsed (as many lines as
	 * fit): a partial map, as a text that could not grow gave before. */
	for (int attempt = 0;; attempt++) {
		unsigned moves = maps->text.moves;
		if (hs_text_read("/proc/self/maps", &maps->text) != 0 && maps->text.len == 0)
			return -1;
		int last = attempt == 7;
		size_t lines = 0;
		for (const char *p = maps->text.p, *end = p + maps->text.len;
		     p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
			lines++;
		if (lines > maps->cap && !last) {
			size_t cap = maps->cap;
			while (cap < lines)
				cap *= 2;
			struct hs_mapping *m = hs_pages_remap_internal(maps->m, maps->cap * sizeof *m, cap * sizeof *m);
			if (m) {
				maps->m = m;
				maps->cap = cap;
				continue; /* a mapping grew meanwhile: read again */
			}
			last = 1;
		}
		if (maps->text.moves != moves && !last)
			continue;
		maps->n = 0;
		const char *line = maps->text.p, *end = line + maps->text.len, *nl;
		while (maps->n < maps->cap && line < end && (nl = memchr(line, '\n', (size_t)(end - line)))) {
			if (hs_mapping_parse(line, (size_t)(nl - line), &maps->m[maps->n]) == 0)
				maps->n++;
			line = nl + 1;
		}
		return 0;
	}
}

void hs_maps_free(struct hs_maps *maps)
{
	if (maps->text.p)
		hs_pages_unmap_internal(maps->text.p, maps->text.cap);
	if (maps->m)
		hs_pages_unmap_internal(maps->m, maps->cap * sizeof *maps->m);
	memset(maps, 0, sizeof *maps);
}

long hs_proc_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t n = 0;
	ssize_t r;
	while (n + 1 < size && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = 0;
	return (long)n;
}

const char *hs_self_exe(size_t *len)
{
	static char exe[PATH_MAX];
	static ssize_t n = -1;
	if (n <= 0)
		n = readlink("/proc/self/exe", exe, sizeof exe);
	*len = n > 0 ? (size_t)n : 0;
	return exe;
}

uint64_t hs_parse_dec(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	uint64_t v = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (uint64_t)(*s - '0');
	return v;
}
