/* stats.h — allocator-wide statistics assembled from the per-module
 * counters: what mallinfo2, malloc_stats and the reports show. */
#ifndef HS_STATS_H
#define HS_STATS_H

#include <stdint.h>

#include "buddy.h"
#include "large.h"
#include "slab.h"

struct hs_class_stats {
	uint32_t size;
	uint32_t slabs[3];	/* on the empty, partial, full lists */
	uint64_t capacity;	/* objects in all slabs */
	int64_t live;		/* objects handed to the program */
	int64_t requested;	/* bytes requested in them */
	uint64_t allocs, frees;
};

struct hs_stats {
	struct hs_class_stats cls[HS_SLAB_CLASSES];
	struct hs_buddy_stats buddy;
	struct hs_large_stats large;
	uint64_t arena_mapped;
	uint64_t in_use;	/* bytes handed out (slot sizes) */
	uint64_t requested;	/* bytes requested */
};

void hs_stats_collect(struct hs_stats *s);
/* The malloc_stats report, on fd. */
void hs_stats_print(int fd);

#endif
