/* stats.c — assembles hs_stats from the slab classes, the threads'
 * counters, the buddy allocator and the large table; prints malloc_stats.
 * Takes each module's lock in turn, never two at once. */
#include "stats.h"

#include "arena.h"
#include "out.h"
#include "tcache.h"

void hs_stats_collect(struct hs_stats *s)
{
	struct hs_class_count counts[HS_SLAB_CLASSES];
	hs_tcache_counts(counts);
	s->in_use = 0;
	s->requested = 0;
	for (unsigned i = 0; i < HS_SLAB_CLASSES; i++) {
		struct hs_slab_class *c = &hs_slab_classes[i];
		struct hs_class_stats *cs = &s->cls[i];
		hs_lock(&c->lock);
		for (unsigned l = 0; l < 3; l++)
			cs->slabs[l] = c->nslabs[l];
		hs_unlock(&c->lock);
		cs->size = c->size;
		cs->capacity = (uint64_t)(cs->slabs[0] + cs->slabs[1] + cs->slabs[2]) * c->nobj;
		cs->live = counts[i].live;
		cs->requested = counts[i].requested;
		cs->allocs = counts[i].allocs;
		cs->frees = counts[i].frees;
		s->in_use += (uint64_t)cs->live * c->size;
		s->requested += (uint64_t)cs->requested;
	}
	hs_buddy_stats(&s->buddy);
	for (unsigned o = 0; o < HS_BUDDY_ORDERS; o++) {
		s->in_use += s->buddy.used_blocks[o] * (HS_PAGE_SIZE << o);
		s->requested += s->buddy.requested[o];
	}
	hs_large_stats(&s->large);
	s->in_use += s->large.mapped;
	s->requested += s->large.requested;
	s->arena_mapped = hs_arena_mapped();
}

void hs_stats_print(int fd)
{
	struct hs_stats s;
	hs_stats_collect(&s);
	struct hs_out o;
	hs_out_init(&o, fd);
	hs_out_str(&o, "heapscope allocator statistics\n"
		       "  class    slabs(e/p/f)       capacity           live      requested\n");
	for (unsigned i = 0; i < HS_SLAB_CLASSES; i++) {
		const struct hs_class_stats *c = &s.cls[i];
		if (!c->capacity && !c->allocs)
			continue;
		hs_out_u64w(&o, c->size, 7);
		hs_out_u64w(&o, c->slabs[0], 8);
		hs_out_str(&o, "/");
		hs_out_u64(&o, c->slabs[1]);
		hs_out_str(&o, "/");
		hs_out_u64(&o, c->slabs[2]);
		hs_out_u64w(&o, c->capacity, 15);
		hs_out_u64w(&o, (uint64_t)c->live, 15);
		hs_out_u64w(&o, (uint64_t)c->requested, 15);
		hs_out_str(&o, "\n");
	}
	hs_out_str(&o, "  order   block    used    slab    free      requested\n");
	for (unsigned k = 0; k < HS_BUDDY_ORDERS; k++) {
		hs_out_u64w(&o, k, 7);
		hs_out_u64w(&o, (HS_PAGE_SIZE << k) >> 10, 7);
		hs_out_str(&o, "K");
		hs_out_u64w(&o, s.buddy.used_blocks[k], 8);
		hs_out_u64w(&o, s.buddy.slab_blocks[k], 8);
		hs_out_u64w(&o, s.buddy.free_blocks[k], 8);
		hs_out_u64w(&o, s.buddy.requested[k], 15);
		hs_out_str(&o, "\n");
	}
	hs_out_str(&o, "heap committed bytes = ");
	hs_out_u64(&o, s.buddy.committed);
	hs_out_str(&o, "\nfree bytes not resident (untouched or returned) = ");
	hs_out_u64(&o, s.buddy.zero_free);
	hs_out_str(&o, "\nlarge blocks = ");
	hs_out_u64(&o, s.large.blocks);
	hs_out_str(&o, " (");
	hs_out_u64(&o, s.large.mapped);
	hs_out_str(&o, " bytes mapped)\nin use bytes = ");
	hs_out_u64(&o, s.in_use);
	hs_out_str(&o, "\nrequested bytes = ");
	hs_out_u64(&o, s.requested);
	hs_out_str(&o, "\nheapscope internal bytes = ");
	hs_out_u64(&o, s.arena_mapped);
	hs_out_str(&o, "\n");
	hs_out_flush(&o);
}
