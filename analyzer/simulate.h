/* simulate.h — `heapscope report --simulate`: the recorded allocation and
 * free sequence of a trace replayed, in one pass (hs_events_replay), against
 * six simulated allocators at once:
 *
 *   first-fit, next-fit, best-fit, worst-fit — one contiguous heap each that
 *       grows at the top (a break). Blocks are 16-byte aligned and sized in
 *       16-byte steps (a request of 0 bytes takes 16). The holes are a free
 *       list in address order, coalesced on free; a block freed next to the
 *       break lowers the break instead of becoming a hole (the top is never
 *       a hole). A request that fits no hole extends the break. Every block
 *       is carved from the low end of its hole.
 *         first-fit: the lowest-addressed hole that fits;
 *         next-fit:  the first hole that fits, searching in address order from
 *                    a rover (the end of the block placed last; the search
 *                    starts at the hole holding the rover, or the next one)
 *                    and wrapping around once;
 *         best-fit:  the smallest hole that fits, ties to the lowest address;
 *         worst-fit: the largest hole, ties to the lowest address.
 *       Search length = holes of the address-ordered list an allocation
 *       examines, as a list walk would: first-fit up to and including the
 *       hole taken; next-fit likewise from the rover; best-fit all holes,
 *       except that the walk stops at the first hole of exactly the wanted
 *       size; worst-fit all holes. A request that fits nowhere examines them
 *       all. The average is over allocations that searched (malloc-like
 *       calls and reallocations that had to move). The list itself is a
 *       balanced tree (and a second one by size for best-fit), so a replay
 *       costs O(log holes) per event whatever the lengths are.
 *       A realloc shrinks in place (the tail is freed), grows in place when
 *       the block is followed by a large enough hole or by the break, and
 *       otherwise allocates the new block, then frees the old one.
 *   buddy — a pure binary buddy allocator: blocks of 16 B << k (k ≥ 0; the
 *       minimum block is 16 bytes), no maximum: the arena starts as the first
 *       block and doubles (the old arena becomes the lower half) whenever no
 *       free block is big enough. It never shrinks. The lowest-addressed
 *       free block of the smallest adequate order is split. A realloc stays
 *       in place when the order does not change.
 *   heapscope — heapscope's own slab + buddy geometry (size_classes.h):
 *       requests up to 3584 B go to a slab of their class (hs_slab_order
 *       pages), taking the lowest-addressed free object of the class; a slab
 *       that becomes empty is returned to the buddy allocator unless it is
 *       the class's only empty slab (KEEP_EMPTY = 1, as slab.c). Requests up
 *       to 1 MiB get a page-granular buddy block (4 KiB .. 1 MiB, lowest
 *       address first, the heap growing by 1 MiB chunks); larger ones their
 *       own page-rounded mapping. A realloc stays in place within its class,
 *       its order, or when large stays large. Thread caches, quarantine,
 *       guard pages and detect's canary byte are not simulated: the replay
 *       uses the sizes the program asked for.
 *
 * Per strategy:
 *   peak_footprint_bytes  contiguous: the break's high-water mark; buddy: the
 *       arena's; heapscope: the most pages in use at once (slabs, including
 *       the kept empty ones, buddy blocks in use, large mappings).
 *   the peak moment — when the footprint first reached that value; at it:
 *   peak_live_bytes       the bytes the live blocks occupy in that allocator
 *       (requests rounded to its granularity: 16 B, a power of two, a slab
 *       object, a buddy block, pages);
 *   peak_requested_bytes  the bytes the program asked for in those blocks;
 *   external_fragmentation_at_peak  1 − largest free ÷ total free, over the
 *       holes (contiguous) or free buddy blocks (buddy, and heapscope's page
 *       buddy inside its committed chunks); 0 with nothing free;
 *   compaction_reclaim_bytes  peak_footprint − peak_live: what sliding every
 *       live block down (packing them) would give back;
 *   average_search_length  contiguous strategies only (null for the others).
 *
 * Memory is bounded by the live blocks (a hash from address to simulated
 * block) and the holes and free blocks, never by the number of events.
 * Frees of blocks allocated before recording started are ignored.
 */
#ifndef HS_SIMULATE_H
#define HS_SIMULATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "process.h"

enum hs_sim_strategy {
	HS_SIM_FIRST_FIT,
	HS_SIM_NEXT_FIT,
	HS_SIM_BEST_FIT,
	HS_SIM_WORST_FIT,
	HS_SIM_BUDDY,
	HS_SIM_HEAPSCOPE,
	HS_SIM_STRATEGIES
};

struct hs_sim_result {
	const char *name;
	uint64_t peak_footprint;
	uint64_t peak_live;	 /* bytes held by live blocks at the peak */
	uint64_t peak_requested; /* bytes requested by them */
	double external_at_peak;
	int has_search;
	uint64_t searches;	 /* allocations that searched the hole list */
	uint64_t examined;	 /* holes examined, over all of them */
	uint64_t compaction_reclaim;
	uint64_t failed;	 /* requests too large to simulate (corrupt traces) */
};

struct hs_sim_report {
	uint64_t allocations, frees, reallocs, unknown_frees;
	struct hs_sim_result s[HS_SIM_STRATEGIES];
};

/* Replay the trace at path into *out. 0, or -1 with a one-line message in
 * err (unreadable trace, out of memory). */
int hs_simulate_trace(const char *path, struct hs_sim_report *out, char *err, size_t errlen);

/* For `report --simulate`: simulate p's trace and keep the result for the
 * report writers below (a failure is printed on stderr and p gets no
 * result). Results stay until hs_simulate_forget(). */
int hs_simulate_process(const struct hs_process *p);
/* The kept result for p, or NULL when it was not simulated. */
const struct hs_sim_report *hs_simulate_result(const struct hs_process *p);
void hs_simulate_forget(void);

/* The "simulate" value of the JSON report: null when p was not simulated. */
void hs_simulate_write_json(struct hs_json *j, const struct hs_process *p);
/* The text report's ALLOCATOR SIMULATION section; nothing when p was not
 * simulated. */
void hs_simulate_write_text(FILE *f, const struct hs_process *p);

#endif
