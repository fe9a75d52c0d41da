/* process.h — everything the analyzer learns from one trace: the process,
 * its module maps, its stacks and the heap accounting over its events. */
#ifndef HS_PROCESS_H
#define HS_PROCESS_H

#include <stddef.h>
#include <stdint.h>

#include "livemap.h"
#include "timeline.h"

#define HS_MAX_STACKS (16u << 20)

struct hs_seg {
	uint64_t vaddr, memsz;
	uint32_t flags;
};

/* One loaded object as a MODULES record described it. Modules are shared by
 * all the maps that list them (same path, base and build-id). */
struct hs_module {
	char *path;
	uint64_t base;
	uint8_t *build_id;
	size_t build_id_len;
	struct hs_seg *seg;
	unsigned nseg;
	uint64_t lo, hi; /* address range of its segments */
	void *sym;	 /* symbolizer state (symbolize.c) */
};

struct hs_modmap {
	uint32_t *mods; /* indices into process.modules */
	size_t n;
};

struct hs_stack {
	uint64_t *frames;
	uint32_t n;
	uint32_t map; /* the module map in force when it was defined; UINT32_MAX none;
			 meaningless while frames is NULL (an id not defined) */
};

/* Per-stack ("allocation site") totals. */
struct hs_site {
	uint64_t allocations, bytes, live, peak;
	uint64_t at_peak;	/* live bytes when the whole heap peaked */
	uint64_t waste;		/* bytes lost to rounding, over all its allocations */
	uint32_t stamp;		/* peak version at_peak refers to (process.c) */
};

struct hs_heap_stats {
	uint64_t allocations, frees, reallocs;
	uint64_t live_bytes, live_blocks;
	uint64_t peak_bytes, peak_blocks, peak_time_ms;
	uint64_t total_bytes;
	uint64_t unknown_frees; /* blocks allocated before recording started */
	uint64_t events;
	uint64_t duration_ms;
};

struct hs_exit_info {
	int present;
	unsigned how;
	uint64_t value;
	int leak_check;
	char reason[256];
};

struct hs_leak_group {
	unsigned kind; /* enum hs_leak_kind */
	unsigned api;  /* enum hs_api */
	uint32_t stack;
	uint64_t blocks, bytes;
};

/* The last leak scan in the trace (the one at exit, normally). */
struct hs_leak_scan {
	int present;
	unsigned trigger;
	uint64_t live_blocks;
	uint64_t threads, unscanned_threads;
	struct hs_leak_group *groups;
	size_t ngroups;
};

/* One memory error as the process reported it. */
struct hs_error_rec {
	unsigned kind, access, detected, region, api, alloc_api, free_api;
	uint64_t size, addr;
	int has_block;
	uint64_t block_start, block_size;
	int64_t offset;
	uint32_t alloc_stack, free_stack;
	uint64_t tid;
	uint64_t *frames;
	uint32_t nframes;
	uint32_t map; /* module map in force */
};

#define HS_MAX_ERRORS 100000

struct hs_guard_info {
	int present;
	uint64_t guarded, budget, peak_live;
	int budget_exhausted, map_failed;
};

struct hs_process {
	const char *path;
	uint32_t version;
	int truncated;
	uint64_t valid_bytes; /* readable prefix of the file */
	int has_info;
	uint64_t pid, ppid, start_ns, page_size;
	char *exe;
	char **argv;
	size_t argc;
	char *options;

	struct hs_module *modules;
	size_t nmodules, modcap;
	struct hs_modmap *maps;
	size_t nmaps, mapcap;

	struct hs_stack *stacks; /* indexed by id; [0] unused */
	struct hs_site *sites;	 /* parallel to stacks */
	uint32_t nstacks;	 /* highest id + 1 */
	uint32_t stackcap;

	struct hs_heap_stats heap;
	uint32_t peak_version;	/* bumped at each new heap peak */
	int detect;		/* the run had detect on: blocks got a canary byte */
	struct hs_timeline timeline;
	struct hs_snapshots *snaps;
	struct hs_exit_info exit;
	struct hs_leak_scan leaks;
	struct hs_error_rec *errors;
	size_t nerrors, errcap;
	uint64_t errors_dropped; /* beyond HS_MAX_ERRORS */
	struct hs_guard_info guard;
	struct hs_livemap live;
	uint64_t corrupt_records; /* records that did not decode */
};

/* Read the whole trace at path into p (streaming: memory bounded by stacks,
 * modules and live blocks). 0 on success (possibly truncated: p->truncated);
 * -1 with a one-line message in err. `progress` (may be NULL) is called
 * with the bytes read so far now and then. */
int hs_process_load(struct hs_process *p, const char *path, char *err, size_t errlen,
		    void (*progress)(uint64_t done, uint64_t total));
void hs_process_free(struct hs_process *p);
/* The HEAPSCOPE_OPTIONS string a trace was recorded with (malloc'd), or
 * NULL when the trace has no readable header. */
char *hs_trace_options(const char *path);

/* The module in map `map` that contains addr, or NULL. */
struct hs_module *hs_process_module_at(struct hs_process *p, uint32_t map, uint64_t addr);

#endif
