/* meta.h — hs_meta_t, the out-of-band record of one user block.
 *
 * Metadata never lives inside or next to user bytes, so an overflow or a
 * write after free cannot corrupt it and a pointer from the program is only
 * trusted after it has been found through the page map (block.c).
 * Where it lives: slab objects in their slab descriptor's meta[] array
 * (slab.c), buddy blocks in their head page's page-map entry (pagemap.h),
 * large blocks in the large-block table (large.c).
 */
#ifndef HS_META_H
#define HS_META_H

#include <stdint.h>

enum hs_state {
	HS_STATE_FREE = 0,	  /* not handed out (or sitting in a thread cache) */
	HS_STATE_LIVE = 1,	  /* handed out to the program */
	HS_STATE_QUARANTINED = 2, /* freed by the program, not yet reusable */
};

/* Invariants: `state` is LIVE exactly while the program owns the block;
 * `size` is the requested size (≤ the usable size of the slot); `api` is the
 * enum hs_api of the call that allocated it; `tid` the heapscope thread
 * index of the allocating thread; stack ids are 0 when none was recorded.
 * Written only by the thread that owns the block at the time (allocation
 * and free hand over ownership), so no lock guards it. */
typedef struct hs_meta {
	uint32_t size;
	uint32_t alloc_stack;
	uint32_t free_stack;
	uint16_t tid;
	uint8_t state : 3;  /* enum hs_state */
	uint8_t canary : 1; /* a canary was written after the block (detect mode) */
	uint8_t mark : 4;   /* live: leak classification during a scan (leakscan.c);
			     * freed: the release call, hs_meta_release_api() */
	uint8_t api;
} hs_meta_t;

_Static_assert(sizeof(hs_meta_t) == 16, "hs_meta_t is 16 bytes: one per slab object");

/* The release call of a freed block (free, delete, delete[], …), kept in
 * `mark`, which only live blocks use otherwise. */
static inline void hs_meta_set_release_api(hs_meta_t *m, unsigned api)
{
	m->mark = (uint8_t)(api >= 13 && api <= 17 ? api - 12 : 0) & 0xf; /* HS_API_FREE .. */
}

static inline unsigned hs_meta_release_api(const hs_meta_t *m)
{
	return m->mark ? 12u + m->mark : 13u; /* HS_API_FREE when unknown */
}

#endif
