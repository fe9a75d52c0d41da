/* block.h — from any pointer to the heap block it belongs to, in O(1).
 *
 * A pointer handed back by the program is never trusted: it is looked up
 * through the page map (slab and buddy blocks) or the large-block table, and
 * only a pointer to the exact start of a live block is accepted for free.
 */
#ifndef HS_BLOCK_H
#define HS_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "meta.h"

enum hs_block_kind {
	HS_BLOCK_NONE = 0,	/* not inside any block of ours */
	HS_BLOCK_SLAB = 1,
	HS_BLOCK_BUDDY = 2,
	HS_BLOCK_LARGE = 3,
	HS_BLOCK_GUARD = 4,	/* in the guard-page pool (guard.c) */
};

enum hs_find {
	HS_FIND_START = 0,	/* p is the first byte of a block */
	HS_FIND_INTERIOR = 1,	/* p lies inside a block, not at its start */
	HS_FIND_FREE = 2,	/* p lies in heap memory that is not a handed-out block */
	HS_FIND_FOREIGN = 3,	/* p is not heapscope's memory at all */
};

struct hs_block {
	unsigned kind;		/* enum hs_block_kind */
	unsigned cls;		/* slab class (SLAB) */
	uint32_t page;		/* head page index (BUDDY) */
	char *start;
	size_t usable;		/* bytes in the slot */
	size_t size;		/* bytes requested */
	hs_meta_t *meta;
	struct hs_guard_slot *slot; /* GUARD */
};

/* Classify p and, unless FREE or FOREIGN, describe its block. The block's
 * meta may say it is not live (freed and parked in a cache). */
enum hs_find hs_block_find(const void *p, struct hs_block *b);
/* The same for a pointer already known to be inside the heap range; takes
 * no lock (usable while other threads are paused). */
enum hs_find hs_block_find_heap(const void *p, struct hs_block *b);
/* The same for a pointer inside the guard pool; lock-free. */
enum hs_find hs_block_find_guard(const void *p, struct hs_block *b);

#endif
