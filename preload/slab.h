/* slab.h — size-class caches of small objects (Bonwick's slab allocator). */
#ifndef HS_SLAB_H
#define HS_SLAB_H

#include <stddef.h>
#include <stdint.h>

#include "lock.h"
#include "meta.h"
#include "pagemap.h"


enum hs_slab_list { HS_SLAB_EMPTY = 0, HS_SLAB_PARTIAL = 1, HS_SLAB_FULL = 2 };

/* One slab: a buddy block of 2^order pages cut into `nobj` objects.
 * Invariants: `nfree` objects are in the slab (their indices are
 * free_idx[0..nfree)); the other nobj - nfree are out: live in the program
 * or parked in a thread cache. The slab is on list EMPTY iff nfree == nobj,
 * FULL iff nfree == 0, PARTIAL otherwise. Fields other than meta[] are
 * guarded by the class lock; meta[i] belongs to whoever owns object i. */
struct hs_slab {
	struct hs_slab *prev, *next;
	char *base;
	uint32_t page;
	uint16_t cls;
	uint16_t nobj;
	uint16_t nfree;
	uint8_t list;
	uint8_t pad;
	uint16_t *free_idx;	/* nobj entries, right after this header */
	hs_meta_t *meta;	/* nobj entries, an arena object of its own: for small
				 * classes it is a whole page, which a power-of-two arena
				 * class holds without waste */
};

/* Invariant: nslabs[l] is the length of list l. Guarded by `lock`. */
struct hs_slab_class {
	hs_lock_t lock;
	uint32_t size;		/* object size */
	uint32_t recip;		/* ceil(2^32 / size): offset * recip >> 32 == offset / size */
	uint16_t nobj;		/* objects per slab */
	uint8_t order;		/* slab = 2^order pages */
	struct hs_slab *lists[3];
	uint32_t nslabs[3];
} __attribute__((aligned(64)));

extern struct hs_slab_class hs_slab_classes[HS_SLAB_CLASSES] HS_HIDDEN;

void hs_slab_init(void);

static inline unsigned hs_slab_class_of(size_t size)
{
	return hs_size_class(size);
}

/* A free object and its metadata: the thread caches keep both, so that
 * malloc does not have to look the metadata up again. */
struct hs_obj {
	void *p;
	hs_meta_t *meta;
};

/* Take up to n objects out of class cls into out[]; returns how many. */
unsigned hs_slab_take(unsigned cls, struct hs_obj *out, unsigned n);
/* Return n objects of class cls (each already checked to be an object start). */
void hs_slab_give(unsigned cls, const struct hs_obj *objs, unsigned n);

/* The object p lies in, or -1 if p is not in a slab. *start gets the
 * object's start; the caller decides whether an interior pointer is OK. */
static inline hs_meta_t *hs_slab_meta(const void *p, struct hs_slab **slab_out, char **start)
{
	hs_page_t *pg = &hs_heap.map[hs_page_index(p)];
	if (pg->kind != HS_PAGE_SLAB)
		return NULL;
	struct hs_slab *s = pg->slab;
	uint32_t off = (uint32_t)((const char *)p - s->base);
	const struct hs_slab_class *c = &hs_slab_classes[s->cls];
	uint32_t idx = (uint32_t)(((uint64_t)off * c->recip) >> 32);
	if (idx >= s->nobj)
		return NULL; /* in the slab's tail waste */
	if (slab_out)
		*slab_out = s;
	if (start)
		*start = s->base + (size_t)idx * c->size;
	return &s->meta[idx];
}

/* Give empty slabs beyond the keep limit back to the buddy allocator. */
size_t hs_slab_trim(void);

void hs_slab_lock_all(void);
void hs_slab_unlock_all(void);
void hs_slab_reset_locks(void);

#endif
