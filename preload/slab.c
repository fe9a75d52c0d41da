/* slab.c — size-class caches of small objects, after Bonwick's slab
 * allocator (USENIX 1994).
 *
 * One cache per size class (16 B .. 3584 B, about four classes per power of
 * two). Each cache keeps its slabs on three lists: empty (all objects free),
 * partial and full. Objects are taken from partial slabs first, then empty
 * ones, then a new slab from the buddy allocator. A slab that becomes empty
 * is kept for reuse while the class holds fewer than KEEP_EMPTY empty slabs
 * (hysteresis: a program that frees and reallocates one object at a slab
 * boundary must not make a buddy round trip each time); beyond that it goes
 * back to the buddy allocator.
 *
 * The slab descriptor (with its free-index stack) and its meta[] array live
 * in the internal arena, off the slab: user bytes never hold allocator
 * state.
 * Threads reach this file through their magazines (tcache.c) in batches,
 * so the per-class lock is taken once per batch, not per object.
 */
#include "slab.h"

#include <string.h>

#include "arena.h"
#include "buddy.h"

#define KEEP_EMPTY 1

struct hs_slab_class hs_slab_classes[HS_SLAB_CLASSES];

static size_t desc_bytes(const struct hs_slab_class *c)
{
	return sizeof(struct hs_slab) + c->nobj * sizeof(uint16_t);
}

static size_t meta_bytes(const struct hs_slab_class *c)
{
	return c->nobj * sizeof(hs_meta_t);
}

void hs_slab_init(void)
{
	for (unsigned i = 0; i < HS_SLAB_CLASSES; i++) {
		struct hs_slab_class *c = &hs_slab_classes[i];
		c->size = hs_class_size[i];
		c->recip = (uint32_t)(((1ull << 32) + c->size - 1) / c->size);
		unsigned order = hs_slab_order(i);
		c->order = (uint8_t)order;
		c->nobj = (uint16_t)((HS_PAGE_SIZE << order) / c->size);
	}
}

static void list_remove_locked(struct hs_slab_class *c, struct hs_slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->lists[s->list] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	c->nslabs[s->list]--;
}

static void list_push_locked(struct hs_slab_class *c, struct hs_slab *s, unsigned list)
{
	s->list = (uint8_t)list;
	s->prev = NULL;
	s->next = c->lists[list];
	if (s->next)
		s->next->prev = s;
	c->lists[list] = s;
	c->nslabs[list]++;
}

static unsigned list_for(const struct hs_slab *s)
{
	if (s->nfree == s->nobj)
		return HS_SLAB_EMPTY;
	return s->nfree ? HS_SLAB_PARTIAL : HS_SLAB_FULL;
}

static void relist_locked(struct hs_slab_class *c, struct hs_slab *s)
{
	unsigned l = list_for(s);
	if (l != s->list) {
		list_remove_locked(c, s);
		list_push_locked(c, s, l);
	}
}

/* A new empty slab, made without holding the class lock (it calls into the
 * buddy allocator and the arena). */
static struct hs_slab *new_slab(unsigned cls)
{
	struct hs_slab_class *c = &hs_slab_classes[cls];
	struct hs_slab *s = hs_arena_alloc(desc_bytes(c));
	hs_meta_t *meta = s ? hs_arena_alloc(meta_bytes(c)) : NULL;
	uint32_t page = meta ? hs_buddy_alloc(c->order, 0, 0, NULL) : HS_NIL;
	if (page == HS_NIL) {
		hs_arena_free(meta, meta_bytes(c));
		hs_arena_free(s, desc_bytes(c));
		return NULL;
	}
	s->meta = meta;
	s->base = hs_page_addr(page);
	s->page = page;
	s->cls = (uint16_t)cls;
	s->nobj = c->nobj;
	s->nfree = c->nobj;
	s->free_idx = (uint16_t *)(s + 1);
	/* Hand out low addresses first: better locality for new slabs. */
	for (unsigned i = 0; i < c->nobj; i++)
		s->free_idx[i] = (uint16_t)(c->nobj - 1 - i);
	for (unsigned k = 0; k < (1u << c->order); k++) {
		hs_page_t *pg = &hs_heap.map[page + k];
		pg->slab = s;
		pg->order = c->order;
		__atomic_store_n(&pg->kind, HS_PAGE_SLAB, __ATOMIC_RELEASE);
	}
	return s;
}

static void destroy_slab(struct hs_slab *s)
{
	struct hs_slab_class *c = &hs_slab_classes[s->cls];
	hs_buddy_free(s->page);
	hs_arena_free(s->meta, meta_bytes(c));
	hs_arena_free(s, desc_bytes(c));
}

unsigned hs_slab_take(unsigned cls, struct hs_obj *out, unsigned n)
{
	struct hs_slab_class *c = &hs_slab_classes[cls];
	unsigned got = 0;
	struct hs_slab *fresh = NULL;
	for (;;) {
		hs_lock(&c->lock);
		if (fresh) {
			list_push_locked(c, fresh, HS_SLAB_EMPTY);
			fresh = NULL;
		}
		while (got < n) {
			struct hs_slab *s = c->lists[HS_SLAB_PARTIAL];
			if (!s)
				s = c->lists[HS_SLAB_EMPTY];
			if (!s)
				break;
			while (got < n && s->nfree) {
				uint16_t idx = s->free_idx[--s->nfree];
				out[got].p = s->base + (size_t)idx * c->size;
				out[got++].meta = &s->meta[idx];
			}
			relist_locked(c, s);
		}
		hs_unlock(&c->lock);
		if (got == n || got > 0)
			return got;
		fresh = new_slab(cls);
		if (!fresh)
			return 0;
	}
}

void hs_slab_give(unsigned cls, const struct hs_obj *objs, unsigned n)
{
	struct hs_slab_class *c = &hs_slab_classes[cls];
	struct hs_slab *doomed = NULL;
	hs_lock(&c->lock);
	for (unsigned i = 0; i < n; i++) {
		struct hs_slab *s = hs_heap.map[hs_page_index(objs[i].p)].slab;
		uint32_t idx = (uint32_t)(objs[i].meta - s->meta);
		s->free_idx[s->nfree++] = (uint16_t)idx;
		relist_locked(c, s);
		if (s->list == HS_SLAB_EMPTY && c->nslabs[HS_SLAB_EMPTY] > KEEP_EMPTY) {
			list_remove_locked(c, s);
			s->next = doomed;
			doomed = s;
		}
	}
	hs_unlock(&c->lock);
	while (doomed) {
		struct hs_slab *next = doomed->next;
		destroy_slab(doomed);
		doomed = next;
	}
}

size_t hs_slab_trim(void)
{
	size_t released = 0;
	for (unsigned cls = 0; cls < HS_SLAB_CLASSES; cls++) {
		struct hs_slab_class *c = &hs_slab_classes[cls];
		hs_lock(&c->lock);
		struct hs_slab *doomed = c->lists[HS_SLAB_EMPTY];
		c->lists[HS_SLAB_EMPTY] = NULL;
		c->nslabs[HS_SLAB_EMPTY] = 0;
		hs_unlock(&c->lock);
		while (doomed) {
			struct hs_slab *next = doomed->next;
			released += HS_PAGE_SIZE << c->order;
			destroy_slab(doomed);
			doomed = next;
		}
	}
	return released;
}

void hs_slab_lock_all(void)
{
	for (unsigned i = 0; i < HS_SLAB_CLASSES; i++)
		hs_lock(&hs_slab_classes[i].lock);
}

void hs_slab_unlock_all(void)
{
	for (unsigned i = HS_SLAB_CLASSES; i-- > 0;)
		hs_unlock(&hs_slab_classes[i].lock);
}

void hs_slab_reset_locks(void)
{
	for (unsigned i = 0; i < HS_SLAB_CLASSES; i++)
		hs_lock_reset(&hs_slab_classes[i].lock);
}
