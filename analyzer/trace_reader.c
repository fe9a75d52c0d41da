/* trace_reader.c — see trace_reader.h. Reads with stdio in large buffered
 * chunks; a record's payload is held only until the next call. */
#include "trace_reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <heapscope/trace_format.h>

int hs_reader_open(struct hs_reader *r, const char *path)
{
	memset(r, 0, sizeof *r);
	r->path = path;
	r->f = fopen(path, "rb");
	if (!r->f) {
		snprintf(r->error, sizeof r->error, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(r->f), &st) != 0) {
		snprintf(r->error, sizeof r->error, "%s: %s", path, strerror(errno));
		goto fail;
	}
	r->size = (uint64_t)st.st_size;
	if (S_ISDIR(st.st_mode)) {
		snprintf(r->error, sizeof r->error, "%s: is a directory", path);
		goto fail;
	}
	setvbuf(r->f, NULL, _IOFBF, 1 << 20);
	uint8_t h[sizeof(struct hs_trace_file_header)];
	size_t n = fread(h, 1, sizeof h, r->f);
	if (n == 0) {
		/* created, never written: the process ended (was killed) first */
		snprintf(r->error, sizeof r->error, "%s: empty: not a heapscope trace, or its process ended before "
			 "writing anything", path);
		goto fail;
	}
	if (n < 8 || memcmp(h, HS_TRACE_MAGIC, sizeof HS_TRACE_MAGIC) != 0) {
		snprintf(r->error, sizeof r->error, "%s: not a heapscope trace (bad magic)", path);
		goto fail;
	}
	if (n < sizeof h) {
		snprintf(r->error, sizeof r->error, "%s: truncated in the file header (%zu of %zu bytes)",
			 path, n, sizeof h);
		goto fail;
	}
	r->version = hs_get_u32le(h + 8);
	if (r->version > HS_TRACE_VERSION || r->version == 0) {
		snprintf(r->error, sizeof r->error,
			 "%s: trace format version %u is not supported (this heapscope reads versions 1 to %u%s)",
			 path, r->version, HS_TRACE_VERSION,
			 r->version > HS_TRACE_VERSION ? "; use a newer heapscope" : "");
		goto fail;
	}
	r->offset = sizeof h;
	return 0;
fail:
	fclose(r->f);
	r->f = NULL;
	return -1;
}

int hs_reader_next(struct hs_reader *r, struct hs_record *rec)
{
	uint8_t h[HS_RECORD_HEADER];
	size_t n = fread(h, 1, sizeof h, r->f);
	if (n == 0 && feof(r->f))
		return 0;
	if (n < sizeof h) {
		if (ferror(r->f))
			goto ioerr;
		r->truncated = 1;
		return 0;
	}
	uint32_t len = hs_get_u32le(h + 1);
	if (h[0] == 0 || len > HS_RECORD_LIMIT || r->offset + sizeof h + len > r->size) {
		/* Either cut off mid-record, or garbage where a record should
		 * start: both end the readable part of the trace. */
		r->truncated = 1;
		return 0;
	}
	if (len > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		while (cap < len)
			cap *= 2;
		uint8_t *nb = realloc(r->buf, cap);
		if (!nb) {
			snprintf(r->error, sizeof r->error, "%s: out of memory reading a %u-byte record",
				 r->path, len);
			return -1;
		}
		r->buf = nb;
		r->cap = cap;
	}
	if (fread(r->buf, 1, len, r->f) != len) {
		if (ferror(r->f))
			goto ioerr;
		r->truncated = 1;
		return 0;
	}
	rec->type = h[0];
	rec->offset = r->offset;
	rec->data = r->buf;
	rec->len = len;
	r->offset += sizeof h + len;
	return 1;
ioerr:
	snprintf(r->error, sizeof r->error, "%s: read error at byte %llu: %s", r->path,
		 (unsigned long long)r->offset, strerror(errno));
	return -1;
}

void hs_reader_close(struct hs_reader *r)
{
	if (r->f)
		fclose(r->f);
	free(r->buf);
	r->f = NULL;
	r->buf = NULL;
}

uint64_t hs_cur_varint(struct hs_cursor *c)
{
	uint64_t v = 0;
	if (c->bad || hs_get_varint(&c->p, c->end, &v) != 0) {
		c->bad = 1;
		return 0;
	}
	return v;
}

int64_t hs_cur_zigzag(struct hs_cursor *c)
{
	return hs_unzigzag(hs_cur_varint(c));
}

uint8_t hs_cur_byte(struct hs_cursor *c)
{
	if (c->bad || c->p >= c->end) {
		c->bad = 1;
		return 0;
	}
	return *c->p++;
}

const uint8_t *hs_cur_bytes(struct hs_cursor *c, size_t *len)
{
	uint64_t n = hs_cur_varint(c);
	if (c->bad || n > (uint64_t)(c->end - c->p)) {
		c->bad = 1;
		*len = 0;
		return (const uint8_t *)"";
	}
	const uint8_t *s = c->p;
	c->p += n;
	*len = (size_t)n;
	return s;
}

int hs_cur_done(const struct hs_cursor *c)
{
	return c->bad || c->p >= c->end;
}
