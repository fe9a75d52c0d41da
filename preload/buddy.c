/* buddy.c — the binary buddy allocator over the heap's pages.
 *
 * Algorithm (Knowlton 1965): blocks of 2^k pages, k in 0..HS_BUDDY_MAX_ORDER,
 * one free list per order. Allocation takes the smallest free block of at
 * least the wanted order and splits it, pushing each upper half on the free
 * list of its order. Freeing merges a block with its buddy (index ^ 2^k)
 * while the buddy is a free block of the same order, then pushes the result.
 * Robson's bound applies to the external fragmentation; internal waste is
 * the round-up to a power of two, counted per order for the reports.
 *
 * The heap grows by committing one max-order chunk at the top. Memory goes
 * back to the kernel (madvise) when a whole chunk is free and more than
 * `retain_chunks` such dirty chunks are already cached, and on hs_buddy_trim.
 * Free-list links live in the page map, not in the free pages, so decommitted
 * pages stay decommitted and a write after free cannot corrupt the lists.
 *
 * Everything here runs under `buddy.lock` (the `_locked` helpers say so).
 * Never allocates.
 */
#include "buddy.h"

#include <string.h>

#include "lock.h"
#include "options.h"
#include "pagemap.h"
#include "large.h"
#include "pages.h"
#include "snapshot.h"

static struct {
	hs_lock_t lock;
	uint32_t head[HS_BUDDY_ORDERS]; /* free-list heads, HS_NIL when empty */
	uint32_t top;			/* committed pages: [0, top) */
	uint32_t dirty_free_chunks;	/* free max-order blocks not decommitted */
	struct hs_buddy_stats st; /* requested[] is also updated without the
				   * lock, atomically (hs_buddy_resize) */
} buddy;

static int inited;

static void init_locked(void)
{
	if (inited)
		return;
	for (unsigned o = 0; o < HS_BUDDY_ORDERS; o++)
		buddy.head[o] = HS_NIL;
	inited = 1;
}

int hs_buddy_order_for(size_t size)
{
	return hs_order_for(size);
}

static hs_page_t *pg(uint32_t i)
{
	return &hs_heap.map[i];
}

static void push_locked(uint32_t i, unsigned order, uint8_t flags)
{
	hs_page_t *p = pg(i);
	p->kind = HS_PAGE_FREE;
	p->order = (uint8_t)order;
	p->flags = flags;
	p->slab = NULL;
	p->u.link.prev = HS_NIL;
	p->u.link.next = buddy.head[order];
	if (buddy.head[order] != HS_NIL)
		pg(buddy.head[order])->u.link.prev = i;
	buddy.head[order] = i;
	buddy.st.free_blocks[order]++;
	if (flags & HS_PAGE_ZERO)
		buddy.st.zero_free += HS_PAGE_SIZE << order;
	else if (order == HS_BUDDY_MAX_ORDER)
		buddy.dirty_free_chunks++;
}

static void unlink_locked(uint32_t i)
{
	hs_page_t *p = pg(i);
	if (p->u.link.prev != HS_NIL)
		pg(p->u.link.prev)->u.link.next = p->u.link.next;
	else
		buddy.head[p->order] = p->u.link.next;
	if (p->u.link.next != HS_NIL)
		pg(p->u.link.next)->u.link.prev = p->u.link.prev;
	buddy.st.free_blocks[p->order]--;
	if (p->flags & HS_PAGE_ZERO)
		buddy.st.zero_free -= HS_PAGE_SIZE << p->order;
	else if (p->order == HS_BUDDY_MAX_ORDER)
		buddy.dirty_free_chunks--;
	p->kind = HS_PAGE_NONE;
}

static int grow_locked(void)
{
	uint32_t n = 1u << HS_BUDDY_MAX_ORDER;
	if (buddy.top + n > hs_heap.npages)
		return -1;
	if (hs_pages_commit(hs_page_addr(buddy.top), HS_CHUNK_SIZE) != 0)
		return -1;
	buddy.st.committed += HS_CHUNK_SIZE;
	hs_snapshot_note_growth(buddy.st.committed + hs_large_mapped_bytes());
	push_locked(buddy.top, HS_BUDDY_MAX_ORDER, HS_PAGE_ZERO);
	__atomic_store_n(&buddy.top, buddy.top + n, __ATOMIC_RELEASE);
	return 0;
}

uint32_t hs_buddy_alloc(unsigned order, int user, size_t requested, int *zeroed)
{
	hs_buddy_lock();
	init_locked();
	unsigned o = order;
	while (o < HS_BUDDY_ORDERS && buddy.head[o] == HS_NIL)
		o++;
	if (o == HS_BUDDY_ORDERS) {
		if (grow_locked() != 0) {
			hs_buddy_unlock();
			return HS_NIL;
		}
		o = HS_BUDDY_MAX_ORDER;
	}
	uint32_t i = buddy.head[o];
	uint8_t flags = pg(i)->flags;
	unlink_locked(i);
	while (o > order) {
		o--;
		push_locked(i + (1u << o), o, flags);
	}
	hs_page_t *p = pg(i);
	p->order = (uint8_t)order;
	p->flags = 0;
	if (user) {
		p->kind = HS_PAGE_BLOCK;
		memset(&p->u.meta, 0, sizeof p->u.meta);
		p->u.meta.size = (uint32_t)requested;
		buddy.st.used_blocks[order]++;
		__atomic_fetch_add(&buddy.st.requested[order], requested, __ATOMIC_RELAXED);
	} else {
		/* slab.c marks the pages SLAB after we return */
		p->kind = HS_PAGE_NONE;
		buddy.st.slab_blocks[order]++;
	}
	hs_buddy_unlock();
	if (zeroed)
		*zeroed = (flags & HS_PAGE_ZERO) != 0;
	return i;
}

/* Merge block i of `order` (no longer on any list) with free buddies and
 * push the result. `flags` is the zero-ness of block i. */
static void release_locked(uint32_t i, unsigned order, uint8_t flags)
{
	while (order < HS_BUDDY_MAX_ORDER) {
		uint32_t b = i ^ (1u << order);
		if (b >= buddy.top)
			break;
		hs_page_t *bp = pg(b);
		if (bp->kind != HS_PAGE_FREE || bp->order != order)
			break;
		flags &= bp->flags;
		unlink_locked(b);
		pg(i)->kind = HS_PAGE_NONE;
		if (b < i)
			i = b;
		order++;
	}
	if (order == HS_BUDDY_MAX_ORDER && !(flags & HS_PAGE_ZERO) &&
	    buddy.dirty_free_chunks >= hs_opt.retain_chunks) {
		hs_pages_decommit(hs_page_addr(i), HS_CHUNK_SIZE);
		flags |= HS_PAGE_ZERO;
	}
	push_locked(i, order, flags);
}

void hs_buddy_free(uint32_t i)
{
	hs_buddy_lock();
	hs_page_t *p = pg(i);
	unsigned order = p->order;
	if (p->kind == HS_PAGE_BLOCK) {
		buddy.st.used_blocks[order]--;
		__atomic_fetch_sub(&buddy.st.requested[order], p->u.meta.size, __ATOMIC_RELAXED);
	} else {
		buddy.st.slab_blocks[order]--;
	}
	/* A slab's other pages were SLAB entries: clear them so the invariant
	 * (only heads carry a kind) holds again. */
	for (uint32_t k = 1; k < (1u << order); k++)
		if (pg(i + k)->kind != HS_PAGE_NONE)
			pg(i + k)->kind = HS_PAGE_NONE, pg(i + k)->slab = NULL;
	p->slab = NULL;
	release_locked(i, order, 0);
	hs_buddy_unlock();
}

int hs_buddy_resize(uint32_t i, size_t new_size)
{
	int want = hs_buddy_order_for(new_size);
	if (want < 0)
		return -1;
	hs_page_t *head = pg(i);
	if ((unsigned)want == head->order) {
		/* The block's owner calls this and the order stays: nothing the
		 * lock guards changes (requested[] is updated atomically). This
		 * is the common case of a buffer growing a little at a time. */
		__atomic_fetch_add(&buddy.st.requested[want], new_size - head->u.meta.size, __ATOMIC_RELAXED);
		head->u.meta.size = (uint32_t)new_size;
		return 0;
	}
	hs_buddy_lock();
	hs_page_t *p = pg(i);
	unsigned order = p->order;
	if ((unsigned)want <= order) {
		while (order > (unsigned)want) {
			order--;
			release_locked(i + (1u << order), order, 0);
		}
	} else {
		/* Grow only if every buddy on the way up is free and i stays the
		 * left half: check first, then absorb. */
		for (unsigned o = order; o < (unsigned)want; o++) {
			uint32_t b = i ^ (1u << o);
			if (b < i || b >= buddy.top || pg(b)->kind != HS_PAGE_FREE ||
			    pg(b)->order != o) {
				hs_buddy_unlock();
				return -1;
			}
		}
		for (unsigned o = order; o < (unsigned)want; o++) {
			unlink_locked(i ^ (1u << o));
		}
	}
	buddy.st.used_blocks[p->order]--;
	__atomic_fetch_sub(&buddy.st.requested[p->order], p->u.meta.size, __ATOMIC_RELAXED);
	p->order = (uint8_t)want;
	p->u.meta.size = (uint32_t)new_size;
	buddy.st.used_blocks[want]++;
	__atomic_fetch_add(&buddy.st.requested[want], new_size, __ATOMIC_RELAXED);
	hs_buddy_unlock();
	return 0;
}

size_t hs_buddy_trim(void)
{
	size_t released = 0;
	hs_buddy_lock();
	init_locked();
	for (unsigned o = 0; o < HS_BUDDY_ORDERS; o++) {
		for (uint32_t i = buddy.head[o]; i != HS_NIL; i = pg(i)->u.link.next) {
			hs_page_t *p = pg(i);
			if (p->flags & HS_PAGE_ZERO)
				continue;
			hs_pages_decommit(hs_page_addr(i), HS_PAGE_SIZE << o);
			p->flags |= HS_PAGE_ZERO;
			if (o == HS_BUDDY_MAX_ORDER)
				buddy.dirty_free_chunks--;
			buddy.st.zero_free += HS_PAGE_SIZE << o;
			released += HS_PAGE_SIZE << o;
		}
	}
	hs_buddy_unlock();
	return released;
}

void hs_buddy_stats(struct hs_buddy_stats *out)
{
	hs_buddy_lock();
	*out = buddy.st;
	hs_buddy_unlock();
}

uint64_t hs_buddy_committed_bytes(void)
{
	return __atomic_load_n(&buddy.st.committed, __ATOMIC_RELAXED);
}

uint32_t hs_buddy_top(void)
{
	return __atomic_load_n(&buddy.top, __ATOMIC_ACQUIRE);
}

void hs_buddy_lock(void)
{
	hs_lock(&buddy.lock);
}

void hs_buddy_unlock(void)
{
	hs_unlock(&buddy.lock);
}

void hs_buddy_reset_lock(void)
{
	hs_lock_reset(&buddy.lock);
}
