/* quarantine.h — freed blocks wait here before their memory is reused. */
#ifndef HS_QUARANTINE_H
#define HS_QUARANTINE_H

#include <stddef.h>

#include "block.h"
#include "guard.h"
#include "hs_internal.h"

/* Park a freed block (its meta already QUARANTINED, its free stack set).
 * Guarded blocks become inaccessible; others are filled with poison. Blocks
 * pushed out by the byte budget are checked and really released. */
void hs_quarantine_put(const struct hs_block *b);
/* Check and release everything, at exit: a write after free found then is
 * reported detected at exit. */
void hs_quarantine_drain(void);
size_t hs_quarantine_bytes(void);

/* What the quarantine holds, by allocator tier: these blocks are freed for
 * the program but still occupy their slots, so the allocator's counters
 * count them as in use; reports subtract them. */
struct hs_quarantine_tally {
	uint64_t cls_count[HS_SLAB_CLASSES], cls_requested[HS_SLAB_CLASSES];
	uint64_t order_count[HS_BUDDY_ORDERS], order_requested[HS_BUDDY_ORDERS];
	uint64_t large_blocks, large_requested, large_mapped;
};
void hs_quarantine_tally(struct hs_quarantine_tally *out);

/* Fork: taken by the prepare handler (lock.h's order), released in the
 * parent, reset in the child. */
void hs_quarantine_lock(void);
void hs_quarantine_unlock(void);
void hs_quarantine_reset_lock(void);

/* Provided by alloc.c: give a block's memory back for reuse. */
void hs_release_memory(const struct hs_block *b);

#endif
