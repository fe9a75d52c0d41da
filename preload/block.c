/* block.c — pointer → block lookup and validation (see block.h). Lock-free
 * for slab and buddy pointers: a page-map entry of a block the caller owns
 * cannot change under it. Large pointers go through the large table's lock. */
#include "block.h"

#include "guard.h"
#include "large.h"
#include "pagemap.h"
#include "slab.h"

static enum hs_find find_buddy(const void *p, uint32_t idx, struct hs_block *b)
{
	/* A buddy block of order k starts at an index that is a multiple of
	 * 2^k: try each order from the page itself downwards. */
	for (unsigned k = 0; k < HS_BUDDY_ORDERS; k++) {
		uint32_t head = idx & ~((1u << k) - 1);
		hs_page_t *pg = &hs_heap.map[head];
		if (pg->kind == HS_PAGE_NONE)
			continue;
		if (pg->order < k)
			return HS_FIND_FREE; /* a smaller block ends before p */
		if (pg->kind != HS_PAGE_BLOCK)
			return HS_FIND_FREE;
		b->kind = HS_BLOCK_BUDDY;
		b->page = head;
		b->start = hs_page_addr(head);
		b->usable = HS_PAGE_SIZE << pg->order;
		b->meta = &pg->u.meta;
		b->size = pg->u.meta.size;
		return (const char *)p == b->start ? HS_FIND_START : HS_FIND_INTERIOR;
	}
	return HS_FIND_FREE;
}

enum hs_find hs_block_find_heap(const void *p, struct hs_block *b)
{
	b->kind = HS_BLOCK_NONE;
	uint32_t idx = hs_page_index(p);
	if (hs_heap.map[idx].kind != HS_PAGE_SLAB)
		return find_buddy(p, idx, b);
	struct hs_slab *s;
	char *start;
	hs_meta_t *m = hs_slab_meta(p, &s, &start);
	if (!m)
		return HS_FIND_FREE;
	b->kind = HS_BLOCK_SLAB;
	b->cls = s->cls;
	b->start = start;
	b->usable = hs_slab_classes[s->cls].size;
	b->meta = m;
	b->size = m->size;
	return (const char *)p == start ? HS_FIND_START : HS_FIND_INTERIOR;
}

enum hs_find hs_block_find_guard(const void *p, struct hs_block *b)
{
	b->kind = HS_BLOCK_NONE;
	struct hs_guard_slot *s = hs_guard_slot_of(p);
	/* A released slot still knows the block it held, until it is reused:
	 * its start is that block (state FREE), so that a double free after
	 * the quarantine is reported as one, with its stacks, as it is for
	 * the unguarded heap (it was an invalid free of nothing). */
	if (!s || (s->state == HS_SLOT_FREE && (const char *)p != s->user))
		return HS_FIND_FREE;
	b->kind = HS_BLOCK_GUARD;
	b->slot = s;
	b->start = s->user;
	/* to the end of the data pages: the slack before the guard holds the
	 * canary */
	b->usable = (size_t)(s->data + ((size_t)s->npages << HS_PAGE_SHIFT) - s->user);
	b->size = s->size;
	b->meta = &s->meta;
	return (const char *)p == s->user ? HS_FIND_START : HS_FIND_INTERIOR;
}

enum hs_find hs_block_find(const void *p, struct hs_block *b)
{
	if (hs_heap_contains(p))
		return hs_block_find_heap(p, b);
	if (hs_guard_contains(p))
		return hs_block_find_guard(p, b);
	b->kind = HS_BLOCK_NONE;
	struct hs_large *e = hs_large_find(p);
	struct hs_large copy;
	/* Not a block start: an interior pointer into a large block is rare
	 * (bad frees, the fault handler), so the slow search is fine. */
	if (!e && hs_large_find_containing(p, &copy))
		e = hs_large_find(copy.user);
	if (e) {
		b->kind = HS_BLOCK_LARGE;
		b->start = e->user;
		b->usable = e->mapped - (size_t)(e->user - e->map);
		b->size = e->size;
		b->meta = &e->meta;
		return (const char *)p == e->user ? HS_FIND_START : HS_FIND_INTERIOR;
	}
	return HS_FIND_FOREIGN;
}
