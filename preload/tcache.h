/* tcache.h — per-thread magazines of free slab objects and per-thread
 * counters. */
#ifndef HS_TCACHE_H
#define HS_TCACHE_H

#include <stdint.h>

#include "hs_internal.h"
#include "slab.h"

#define HS_MAG_MAX 64

/* Per-class counters of one thread; summed over threads by stats.c.
 * `requested` may go negative in one thread when another frees its blocks:
 * only the sum over all threads means anything. */
struct hs_class_count {
	int64_t live;		/* objects handed to the program */
	int64_t requested;	/* bytes the program asked for in them */
	uint64_t allocs, frees;
};

/* A magazine's capacity is its class's (hs_mag_cap), not a field of its
 * own: a new thread's cache is then written only where it is used, not
 * on each of the 7 pages its magazines span (a short process paid 7 page
 * faults for the capacities alone, and a fork child as many again). */
struct hs_magazine {
	uint32_t n;
	struct hs_obj obj[HS_MAG_MAX];
};

/* Capacity per class: n <= hs_mag_cap[class] <= HS_MAG_MAX. */
extern uint8_t hs_mag_cap[HS_SLAB_CLASSES] HS_HIDDEN;

/* One thread's cache. Invariants: mag[c].obj[0..n) are free objects of class
 * c (meta state FREE) owned by this thread alone; n ≤ hs_mag_cap[c].
 * Only the owning thread touches mag[] and count[] — except stats readers,
 * which read count[] racily (word-sized, good enough for statistics) — and
 * a fork child adopting dead threads' caches. `next`/`prev` are guarded by
 * the registry lock. */
struct hs_tcache {
	struct hs_tcache *next, *prev;
	uint16_t tid;
	uint8_t dead;
	struct hs_magazine mag[HS_SLAB_CLASSES];
	struct hs_class_count count[HS_SLAB_CLASSES];
};

extern __thread struct hs_tcache *hs_tl_cache HS_TLS HS_HIDDEN;

/* The calling thread's cache, created on first use; NULL while the thread is
 * exiting or if the arena is exhausted (callers then go to the slabs). */
struct hs_tcache *hs_tcache_create(void);

void hs_tcache_init(void);

/* A free object of class cls, or NULL (out of memory). */
static inline struct hs_obj *hs_tcache_pop(struct hs_tcache *tc, unsigned cls)
{
	struct hs_magazine *m = &tc->mag[cls];
	if (HS_LIKELY(m->n))
		return &m->obj[--m->n];
	m->n = hs_slab_take(cls, m->obj, hs_mag_cap[cls] / 2u);
	return m->n ? &m->obj[--m->n] : NULL;
}

void hs_tcache_flush_half(struct hs_tcache *tc, unsigned cls);

static inline void hs_tcache_push(struct hs_tcache *tc, unsigned cls, void *p, hs_meta_t *meta)
{
	struct hs_magazine *m = &tc->mag[cls];
	if (HS_UNLIKELY(m->n == hs_mag_cap[cls]))
		hs_tcache_flush_half(tc, cls);
	m->obj[m->n].p = p;
	m->obj[m->n++].meta = meta;
}

/* Return every object of tc to the slabs. */
void hs_tcache_drain(struct hs_tcache *tc);

/* Count an allocation (+1) or free (-1) made without a thread cache (in a
 * thread's exit path). */
void hs_tcache_count_orphan(unsigned cls, int dir, int64_t requested);

/* Sum of every thread's counters (including exited threads). */
void hs_tcache_counts(struct hs_class_count out[HS_SLAB_CLASSES]);

void hs_tcache_lock_registry(void);
void hs_tcache_unlock_registry(void);
/* In a fork child: reset the lock and drop the caches of threads that did
 * not survive the fork. */
void hs_tcache_after_fork_child(void);

#endif
