/* alloc.h — the allocator's front door: every public entry point in
 * interpose.c is a thin call into one of these. */
#ifndef HS_ALLOC_H
#define HS_ALLOC_H

#include <stddef.h>

#include "hs_internal.h"

extern int hs_init_state HS_HIDDEN; /* 0 none, 1 running, 2 done */
/* Memory-error detection (guards, canaries, quarantine) is on: set once
 * when recording starts, with detect=1. */
extern int hs_detect_active HS_HIDDEN;
void hs_init(void);

static inline void hs_ensure_init(void)
{
	if (HS_UNLIKELY(__atomic_load_n(&hs_init_state, __ATOMIC_ACQUIRE) != 2))
		hs_init();
}

/* `frame`, in the calls from the public entry points, is the entry's own
 * frame (__builtin_frame_address(0), interpose.c keeps frame pointers):
 * its caller's registers are there, and a stack capture starts from them
 * instead of unwinding heapscope's own frames. NULL: from the capture. */

/* size bytes aligned to align (a power of two ≥ 16), recorded as `api`;
 * zeroed when `zero`. NULL with errno = ENOMEM when it cannot be met. */
void *hs_alloc_at(size_t size, size_t align, unsigned api, int zero, const void *frame);
/* Release p through `api` (an HS_API_FREE/DELETE* value). Bad pointers are
 * reported and ignored. Preserves errno. */
void hs_free_at(void *p, unsigned api, const void *frame);
void *hs_realloc_at(void *p, size_t size, unsigned api, const void *frame);

static inline void *hs_alloc(size_t size, size_t align, unsigned api, int zero)
{
	return hs_alloc_at(size, align, api, zero, NULL);
}
static inline void hs_free(void *p, unsigned api)
{
	hs_free_at(p, api, NULL);
}
static inline void *hs_realloc(void *p, size_t size, unsigned api)
{
	return hs_realloc_at(p, size, api, NULL);
}
size_t hs_usable_size(const void *p);

/* Fill [from, to) with canary bytes, at most HS_CANARY_MAX of them: the
 * slack after a block (slab, buddy or guarded). */
void hs_canary_fill(char *from, char *to);

struct hs_block;
/* Offset of the first broken canary byte after the block, or -1. */
long hs_block_broken_canary(const struct hs_block *b);

#endif
