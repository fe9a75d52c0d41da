/* buddy.h — power-of-two page blocks, orders 0..HS_BUDDY_MAX_ORDER. */
#ifndef HS_BUDDY_H
#define HS_BUDDY_H

#include <stddef.h>
#include <stdint.h>

#include "hs_internal.h"

/* Counters for the fragmentation report; a consistent copy is taken under
 * the buddy lock by hs_buddy_stats. */
struct hs_buddy_stats {
	uint64_t used_blocks[HS_BUDDY_ORDERS];	/* user blocks handed out */
	uint64_t slab_blocks[HS_BUDDY_ORDERS];	/* blocks carved into slabs */
	uint64_t free_blocks[HS_BUDDY_ORDERS];
	uint64_t requested[HS_BUDDY_ORDERS];	/* bytes asked for in user blocks */
	uint64_t committed;			/* bytes of the heap made usable */
	uint64_t zero_free;			/* free bytes never touched or given back to the kernel */
};

/* Smallest order whose block holds `size` bytes; -1 above the maximum. */
int hs_buddy_order_for(size_t size);

/* A block of 2^order pages, or HS_NIL when the heap is exhausted. For a user
 * block (`requested` > 0 or `user` set) the head's meta is reset and its size
 * recorded; slab blocks are marked by slab.c. *zeroed says whether every
 * byte is known to be zero. */
uint32_t hs_buddy_alloc(unsigned order, int user, size_t requested, int *zeroed);
void hs_buddy_free(uint32_t page);
/* Resize a user block in place to hold new_size bytes: shrink by freeing
 * upper halves, grow by absorbing free buddies. 0 on success. */
int hs_buddy_resize(uint32_t page, size_t new_size);
/* Give every free page back to the kernel. Returns bytes released. */
size_t hs_buddy_trim(void);
void hs_buddy_stats(struct hs_buddy_stats *out);
/* Bytes of the heap committed so far (lock-free, approximate). */
uint64_t hs_buddy_committed_bytes(void);
/* Pages committed so far ([0, n) of the page map is meaningful). Lock-free. */
uint32_t hs_buddy_top(void);

/* A buddy block whose head entry changed hands from slab to free must be
 * marked by the caller holding nothing: slab.c uses these. */
void hs_buddy_lock(void);
void hs_buddy_unlock(void);
void hs_buddy_reset_lock(void);

#endif
