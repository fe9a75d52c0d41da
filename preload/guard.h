/* guard.h — guarded blocks: each in its own slot, flush against a guard
 * page (a guard marker or PROT_NONE, see guard.c), so the first byte past
 * the block (or before it) faults. */
#ifndef HS_GUARD_H
#define HS_GUARD_H

#include <stddef.h>
#include <stdint.h>

#include "meta.h"

enum hs_slot_state { HS_SLOT_FREE = 0, HS_SLOT_LIVE = 1, HS_SLOT_QUARANTINED = 2 };

/* One slot: `npages` data pages plus one guard page after them (or before,
 * in underflow mode). Invariant: the data pages are read/write exactly
 * while state is LIVE. `user` is the block's start, right-aligned so that
 * it ends at the guard (left-aligned after the guard in underflow mode). */
struct hs_guard_slot {
	char *data;		/* first data page */
	char *user;
	size_t size;		/* requested */
	uint32_t npages;
	uint32_t next_free;	/* free list link (slot index + 1) */
	uint8_t state;
	uint8_t below;		/* guard page before the data */
	uint8_t marked;		/* closed by guard markers, not PROT_NONE (guard.c) */
	hs_meta_t meta;
};

struct hs_guard_stats {
	uint64_t guarded;	/* blocks ever given guard pages */
	uint64_t live;		/* guarded blocks live now */
	uint64_t budget;	/* live guarded blocks allowed (map budget) */
	uint64_t peak_live;
	uint64_t live_bytes;	/* data pages of live guarded blocks */
	uint64_t slot_bytes;	/* address space carved into slots */
	int budget_exhausted;	/* once: new blocks fell back to canaries */
	int map_failed;		/* the kernel refused a mapping change */
	int markers;		/* guard markers, not mprotect, guard the pool now */
};

void hs_guard_init(void);
/* Should a new block of this size get guard pages (mode in the `guard`
 * option; auto keeps the time spent in mprotect under a share of the run)? */
int hs_guard_wanted(size_t size);
/* guard=sample:N: only the sampled (guarded) blocks are quarantined and
 * keep their free stack, as in GWP-ASan; the others get canaries only.
 * That is what makes the mode cheap enough to leave on. */
int hs_guard_sampling(void);
/* Call fn on every live guarded block (no lock: for a paused world). */
void hs_guard_each_live(void (*fn)(struct hs_guard_slot *s, void *ctx), void *ctx);
/* The guard pool's address range ([0, 0) before init). */
void hs_guard_range(uintptr_t *lo, uintptr_t *hi);
/* Is p inside the guard pool? */
int hs_guard_contains(const void *p);
/* A guarded block, or NULL (no budget, too big, over-aligned, pool full):
 * the caller then serves the request normally, with canaries. */
struct hs_guard_slot *hs_guard_alloc(size_t size, size_t align, unsigned api, int below);
/* The slot covering p (data or guard page), or NULL. */
struct hs_guard_slot *hs_guard_slot_of(const void *p);
/* Make a freed block inaccessible (quarantine). */
void hs_guard_retire(struct hs_guard_slot *s);
/* Return a quarantined slot for reuse. */
void hs_guard_release(struct hs_guard_slot *s);
/* Bytes the slot occupies (data and guard). */
size_t hs_guard_slot_bytes(const struct hs_guard_slot *s);
void hs_guard_stats(struct hs_guard_stats *out);

/* Fork: taken by the prepare handler (lock.h's order), released in the
 * parent, reset in the child. */
void hs_guard_lock(void);
void hs_guard_unlock(void);
void hs_guard_reset_lock(void);

#endif
