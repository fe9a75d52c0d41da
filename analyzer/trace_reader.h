/* trace_reader.h — streaming reader of .hst traces (format in
 * include/heapscope/trace_format.h). Every trace is untrusted input: any
 * byte sequence yields records or a clear error, never a crash, and memory
 * stays bounded (one record at a time, records capped at HS_RECORD_LIMIT). */
#ifndef HS_TRACE_READER_H
#define HS_TRACE_READER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define HS_RECORD_LIMIT ((uint32_t)64 << 20)

struct hs_reader {
	FILE *f;
	const char *path;
	uint64_t offset;	/* file offset of the next record */
	uint64_t size;		/* file size at open */
	uint32_t version;
	uint8_t *buf;		/* the current record's payload */
	size_t cap;
	int truncated;		/* the file ends inside a record */
	char error[256];
};

struct hs_record {
	unsigned type;
	uint64_t offset;	/* of the record header */
	const uint8_t *data;
	size_t len;
};

/* 0 on success; -1 with r->error set ("PATH: not a heapscope trace", …). */
int hs_reader_open(struct hs_reader *r, const char *path);
/* 1: *rec filled; 0: end (r->truncated says if the tail was cut off);
 * -1: an I/O error, r->error set. */
int hs_reader_next(struct hs_reader *r, struct hs_record *rec);
void hs_reader_close(struct hs_reader *r);

/* A cursor over one payload, for the decoders. `bad` is set, sticky, when a
 * read runs past the end or a value is malformed. */
struct hs_cursor {
	const uint8_t *p, *end;
	int bad;
};

uint64_t hs_cur_varint(struct hs_cursor *c);
int64_t hs_cur_zigzag(struct hs_cursor *c);
uint8_t hs_cur_byte(struct hs_cursor *c);
/* A string/bytes field: pointer into the payload and its length. */
const uint8_t *hs_cur_bytes(struct hs_cursor *c, size_t *len);
int hs_cur_done(const struct hs_cursor *c);

#endif
