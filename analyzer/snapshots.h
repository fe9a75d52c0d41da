/* snapshots.h — the allocator and segment snapshots of a trace, as a
 * bounded time series of summaries plus two full snapshots: the one where
 * the allocator held the most requested bytes, and the last one. */
#ifndef HS_SNAPSHOTS_H
#define HS_SNAPSHOTS_H

#include <stddef.h>
#include <stdint.h>

#include <heapscope/size_classes.h>
#include <heapscope/trace_format.h>

#include "trace_reader.h"

#define HS_SNAP_SERIES 4096

struct hs_snap_class {
	uint64_t slabs[3]; /* empty, partial, full */
	uint64_t capacity, live, requested;
};

struct hs_snap_order {
	uint64_t used, slab, free, requested;
};

/* One decoded SNAPSHOT record. */
struct hs_snap {
	uint64_t t_ms;
	struct hs_snap_class cls[HS_SLAB_CLASSES];
	struct hs_snap_order order[HS_BUDDY_ORDERS];
	uint64_t committed, zero_free;
	uint64_t large_blocks, large_requested, large_mapped;
	uint64_t guard_live, guard_slots, quarantine, internal_mem;
	uint64_t rss, minflt, majflt;
	uint64_t virt[HS_SEG_KINDS];
	int has_res;
	uint64_t res[HS_SEG_KINDS];
};

/* Derived figures of one snapshot (what the series keeps). */
struct hs_snap_summary {
	uint64_t t_ms;
	uint64_t requested, handed_out;		/* bytes in user blocks */
	uint64_t waste_class, waste_pow2, waste_page; /* internal fragmentation by cause */
	uint64_t slab_live, slab_capacity;
	uint64_t buddy_free, buddy_largest_free;
	uint64_t guard_live, guard_slots, quarantine;
	uint64_t rss, minflt, majflt;
	uint64_t virt[HS_SEG_KINDS];
	int has_res;
	uint64_t res[HS_SEG_KINDS];
};

struct hs_snapshots {
	struct hs_snap_summary *series;
	size_t n;
	unsigned stride, skip; /* keep one in `stride` once the series is full */
	uint64_t total;
	struct hs_snap peak, last;
	int have_peak;
};

struct hs_snapshots *hs_snapshots_new(void);
/* Decode a SNAPSHOT payload and add it. 0, or -1 if malformed. */
int hs_snapshots_add(struct hs_snapshots *s, struct hs_cursor *c);
void hs_snapshots_free(struct hs_snapshots *s);
void hs_snap_summarize(const struct hs_snap *in, struct hs_snap_summary *out);

#endif
