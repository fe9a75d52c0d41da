/* report.h — memory errors in the host program: one function per kind of
 * finding, all ending in hs_report_error, which prints a valgrind-style
 * report on stderr (raw addresses: the analyzer symbolizes) and writes an
 * ERROR record into the trace. */
#ifndef HS_REPORT_H
#define HS_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "block.h"

struct hs_error {
	unsigned kind;		/* enum hs_error_kind */
	unsigned access;	/* enum hs_access */
	size_t size;		/* access width, 0 unknown */
	uintptr_t addr;
	unsigned detected;	/* enum hs_detected */
	unsigned region;	/* enum hs_region */
	unsigned api;		/* the call that hit the error (free, delete, …), 0 none */
	int has_block;
	uintptr_t block_start;
	size_t block_size;
	int64_t offset;		/* of addr from block_start */
	unsigned alloc_api, free_api;
	uint32_t alloc_stack, free_stack;
	int block_freed;	/* the block was freed (use after free, double free) */
	const uintptr_t *frames; /* current stack, raw */
	int nframes;
};

/* Report e. `in_signal`: called from the fault handler (no locks waited for). */
void hs_report_error(const struct hs_error *e, int in_signal);

enum hs_bad_free {
	HS_BAD_INVALID = 0,	/* not ours, or not the start of a block */
	HS_BAD_DOUBLE = 1,	/* start of a block that is not live */
	HS_BAD_MISMATCH = 2,	/* released through the wrong family */
};

/* A bad release of p by `api`; b describes the block (kind NONE if none). */
void hs_report_bad_free(enum hs_bad_free kind, const void *p, unsigned api, const struct hs_block *b);
/* A quarantined block's poison changed at `offset`. */
void hs_report_write_after_free(const struct hs_block *b, size_t offset, unsigned detected);
/* A block's canary was found broken at `offset` (≥ its size). */
void hs_report_canary(const struct hs_block *b, size_t offset, unsigned detected, unsigned api);

#endif
