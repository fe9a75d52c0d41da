/* arena.c — heapscope's internal allocator.
 *
 * Power-of-two size classes from 16 B to 64 KiB, each with a LIFO free list
 * threaded through the freed objects; new objects are carved from 1 MiB
 * lazily-backed mappings by a bump pointer. Anything larger gets its own
 * mapping. Internal objects are few and long-lived (slab descriptors, thread
 * caches, hash tables), so simplicity beats speed here.
 *
 * Freed objects of a page or more go back to the kernel (madvise) and are
 * remembered on an out-of-band stack, since their own bytes no longer hold
 * a link: slab meta arrays of freed slabs must not keep memory resident.
 *
 * Invariant: every object handed out is zeroed; every object on a free list
 * or stack was handed out before with the same class. Guarded by `lock`;
 * never calls malloc.
 */
#include "arena.h"

#include <string.h>

#include "hs_internal.h"
#include "lock.h"
#include "pages.h"

#define ARENA_MIN_SHIFT 4
#define ARENA_MAX_SHIFT 16
#define ARENA_CLASSES (ARENA_MAX_SHIFT - ARENA_MIN_SHIFT + 1)
#define ARENA_REFILL ((size_t)1 << 20)

struct free_obj {
	struct free_obj *next;
};

#define BIG_SHIFT 12		/* classes from one page up are decommitted when free */
#define BIG_STACK 4096		/* remembered per class; more go to the in-object list */

static struct {
	hs_lock_t lock;
	struct free_obj *free[ARENA_CLASSES];
	void **big[ARENA_CLASSES];	/* stacks of decommitted free objects */
	unsigned nbig[ARENA_CLASSES];
	/* two bump regions: one for objects under a page, packed; one for
	 * page-sized and larger ones, page-aligned so that they can be
	 * decommitted when freed */
	char *bump[2], *bump_end[2];
	size_t mapped;
} arena;

static unsigned class_of(size_t size)
{
	unsigned shift = ARENA_MIN_SHIFT;
	while (((size_t)1 << shift) < size)
		shift++;
	return shift - ARENA_MIN_SHIFT;
}

void *hs_arena_alloc(size_t size)
{
	if (size == 0)
		size = 1;
	if (size > ((size_t)1 << ARENA_MAX_SHIFT)) {
		size_t len = hs_align_up(size, HS_PAGE_SIZE);
		void *p = hs_pages_map_internal(len, HS_PAGES_LAZY);
		if (p)
			__atomic_fetch_add(&arena.mapped, len, __ATOMIC_RELAXED);
		return p;
	}
	unsigned c = class_of(size);
	size_t csize = (size_t)1 << (c + ARENA_MIN_SHIFT);
	void *p = NULL;
	hs_lock(&arena.lock);
	if (arena.nbig[c]) {
		p = arena.big[c][--arena.nbig[c]];
		hs_unlock(&arena.lock);
		return p; /* decommitted: reads as zero */
	}
	if (arena.free[c]) {
		struct free_obj *o = arena.free[c];
		arena.free[c] = o->next;
		p = o;
	} else {
		int r = csize >= HS_PAGE_SIZE;
		if ((size_t)(arena.bump_end[r] - arena.bump[r]) < csize) {
			/* The tail of the old refill is abandoned: at most 64 KiB
			 * of address space, never touched, so never resident. */
			char *m = hs_pages_map_internal(ARENA_REFILL, HS_PAGES_LAZY);
			if (m) {
				arena.bump[r] = m;
				arena.bump_end[r] = m + ARENA_REFILL;
				arena.mapped += ARENA_REFILL;
			}
		}
		if ((size_t)(arena.bump_end[r] - arena.bump[r]) >= csize) {
			p = arena.bump[r];
			arena.bump[r] += csize;
			hs_unlock(&arena.lock);
			return p; /* fresh mapping: already zero */
		}
	}
	hs_unlock(&arena.lock);
	if (p)
		memset(p, 0, csize);
	return p;
}

void hs_arena_free(void *p, size_t size)
{
	if (!p)
		return;
	if (size == 0)
		size = 1;
	if (size > ((size_t)1 << ARENA_MAX_SHIFT)) {
		size_t len = hs_align_up(size, HS_PAGE_SIZE);
		hs_pages_unmap_internal(p, len);
		__atomic_fetch_sub(&arena.mapped, len, __ATOMIC_RELAXED);
		return;
	}
	unsigned c = class_of(size);
	size_t csize = (size_t)1 << (c + ARENA_MIN_SHIFT);
	if (csize >= ((size_t)1 << BIG_SHIFT)) {
		/* decommit before publishing: once on the stack it may be
		 * handed out again at once */
		hs_pages_decommit(p, csize);
		hs_lock(&arena.lock);
		if (!arena.big[c])
			arena.big[c] = hs_pages_map_internal(BIG_STACK * sizeof(void *), HS_PAGES_LAZY);
		if (arena.big[c] && arena.nbig[c] < BIG_STACK) {
			arena.big[c][arena.nbig[c]++] = p;
			hs_unlock(&arena.lock);
			return;
		}
		hs_unlock(&arena.lock);
	}
	struct free_obj *o = p;
	hs_lock(&arena.lock);
	o->next = arena.free[c];
	arena.free[c] = o;
	hs_unlock(&arena.lock);
}

size_t hs_arena_mapped(void)
{
	return __atomic_load_n(&arena.mapped, __ATOMIC_RELAXED);
}

void hs_arena_lock_all(void)
{
	hs_lock(&arena.lock);
}

void hs_arena_unlock_all(void)
{
	hs_unlock(&arena.lock);
}

void hs_arena_reset_locks(void)
{
	hs_lock_reset(&arena.lock);
}
