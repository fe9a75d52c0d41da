/* timeline.h — live heap over time, at a resolution that coarsens as the
 * run gets longer so that memory stays bounded (at most HS_TIMELINE_POINTS). */
#ifndef HS_TIMELINE_H
#define HS_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#define HS_TIMELINE_POINTS 2048

struct hs_tpoint {
	uint64_t t_ms;		/* start of the bucket */
	uint64_t live_bytes;	/* the most live bytes seen in the bucket */
	uint64_t live_blocks;	/* at that moment */
	uint64_t allocations;	/* cumulative, at the end of the bucket */
	uint64_t frees;
};

struct hs_timeline {
	struct hs_tpoint *pt;
	size_t n;
	uint64_t res_ms; /* bucket width */
};

struct hs_event;
struct hs_heap_stats;

/* Account the state after ev. */
void hs_timeline_add(struct hs_timeline *t, const struct hs_event *ev, const struct hs_heap_stats *h);
/* The state at the end of the trace, as a last point of its own. */
void hs_timeline_end(struct hs_timeline *t, uint64_t t_ms, const struct hs_heap_stats *h);
void hs_timeline_free(struct hs_timeline *t);

#endif
