/* pagemap.h — the heap region and its page map: pointer → page → owner in O(1).
 *
 * The heap is one reserved range [hs_heap.base, hs_heap.base + hs_heap.size)
 * aligned to HS_CHUNK_SIZE, so a buddy block of order k starts at a page
 * index that is a multiple of 2^k and its buddy is `index ^ (1 << k)`.
 * The page map is a lazily backed array with one hs_page_t per heap page;
 * only the entries of pages ever used are resident (32 B per 4 KiB page).
 */
#ifndef HS_PAGEMAP_H
#define HS_PAGEMAP_H

#include <stdint.h>

#include "hs_internal.h"
#include "meta.h"

enum hs_page_kind {
	HS_PAGE_NONE = 0,	/* inside a block whose head is elsewhere, or uncommitted */
	HS_PAGE_FREE = 1,	/* head of a free buddy block */
	HS_PAGE_BLOCK = 2,	/* head of a buddy block handed to the program */
	HS_PAGE_SLAB = 3,	/* any page of a slab; `slab` says which */
};

#define HS_PAGE_ZERO 0x1 /* FREE head: every byte of the block reads as zero */

struct hs_slab;

/* Invariants: every committed page belongs to exactly one buddy block
 * (free, handed out as a user block, or carved into a slab); that block's
 * first page is a FREE, BLOCK or SLAB entry carrying the block's order, its
 * other pages are NONE (buddy) or SLAB (slab). `u.link` is meaningful only in
 * FREE heads, `u.meta` only in BLOCK heads. Guarded by the buddy lock, except
 * SLAB entries (immutable while the slab exists) and BLOCK metas (owned by
 * the block's owner, see meta.h). */
typedef struct hs_page {
	struct hs_slab *slab;
	uint8_t kind;
	uint8_t order;
	uint8_t flags;
	uint8_t pad[5];
	union {
		struct {
			uint32_t prev, next; /* free list of this order; HS_NIL ends */
		} link;
		hs_meta_t meta;
	} u;
} hs_page_t;

_Static_assert(sizeof(hs_page_t) == 32, "page map entry size");

#define HS_NIL UINT32_MAX

struct hs_heap {
	char *base;
	uintptr_t size;
	hs_page_t *map;
	uint32_t npages;
};

extern struct hs_heap hs_heap HS_HIDDEN;

/* Reserve the heap and its page map. 0 on success. */
int hs_heap_init(void);

static inline int hs_heap_contains(const void *p)
{
	return (uintptr_t)p - (uintptr_t)hs_heap.base < hs_heap.size;
}

static inline uint32_t hs_page_index(const void *p)
{
	return (uint32_t)(((uintptr_t)p - (uintptr_t)hs_heap.base) >> HS_PAGE_SHIFT);
}

static inline char *hs_page_addr(uint32_t idx)
{
	return hs_heap.base + ((uintptr_t)idx << HS_PAGE_SHIFT);
}

#endif
