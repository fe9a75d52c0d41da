/* guard.c — the guard-page pool (the kfence/GWP-ASan design, sized for
 * every block rather than a sample).
 *
 * One reserved PROT_NONE range is carved, bump-first, into slots of
 * `npages` data pages followed by one guard page; the pool's first page is a
 * guard too, so every slot's data has a guard on both sides. A live slot's
 * data pages are read/write; a freed one goes back to PROT_NONE (and its
 * memory to the kernel) — a use after free faults — and, after quarantine,
 * onto the free list for its size. Slots are never unmapped.
 *
 * Where the kernel has guard markers (MADV_GUARD_INSTALL, Linux 6.13), the
 * pool is made read/write slot by slot as slots are carved, and guard
 * pages and freed slots get markers instead of PROT_NONE: a marked page
 * faults like an unmapped one but splits no mapping. The pool is then two
 * mappings however many blocks are guarded, instead of about two per live
 * guarded block: no vm.max_map_count budget, and a fork no longer copies
 * hundreds of mappings (a shell's subshells ran 2x slower for them).
 * Elsewhere, or once the kernel refuses a marker (a pool locked by
 * mlockall), mprotect does it, and the budget (40 % of vm.max_map_count)
 * caps the live guarded blocks; past it, new blocks fall back to canaries,
 * and the report says so.
 *
 * The pool page → slot index table and the slot records live in internal
 * lazily-backed mappings. `lock` guards the bump pointer, the free lists
 * and the statistics; opening and closing a slot's data runs outside it,
 * carving a new slot (mprotect and a marker) inside.
 */
#define _GNU_SOURCE
#include "guard.h"

#include <errno.h>
#include <sys/mman.h>
#include <string.h>
#include <unistd.h>

#include <time.h>

#include <heapscope/options_syntax.h>

#include "alloc.h"
#include "hs_internal.h"
#include "lock.h"
#include "magic.h"
#include "options.h"
#include "out.h"
#include "pages.h"
#include "procmaps.h"

#define POOL_SIZE ((size_t)16 << 30)
#define MAX_SLOT_PAGES 64	/* 256 KiB: larger blocks rely on canaries */
#define MAX_SLOTS (1u << 18)

static struct {
	hs_lock_t lock;
	char *base;
	uint32_t npages, top;	/* pool pages; [1, top) carved */
	int markers;		/* new slots get guard markers (then [0, top) is read/write) */
	uint32_t *page_slot;	/* pool page → slot index + 1, 0 for none */
	struct hs_guard_slot *slot;
	uint32_t nslots;
	uint32_t free_head[MAX_SLOT_PAGES + 1]; /* slot index + 1 */
	struct hs_guard_stats st;
} g;


/* auto: mprotect and the page faults of a guarded block cost about 15 µs
 * over its life; keep that under 5 % of the run time (plus a start-up
 * allowance), then sample one block in AUTO_SAMPLE. */
#define AUTO_COST_NS 15000u
#define AUTO_SHARE 20u /* 1/20 = 5 % */
#define AUTO_ALLOWANCE_NS 5000000u
#define AUTO_SAMPLE 1000u

static struct {
	struct hs_guard_spec spec; /* guard=, as options_syntax.h reads it */
	uint64_t start_ns;
} pol;

/* Per thread: allocations left before the next sampled one (sample:N, and
 * auto past its budget), and before auto looks at its budget again. No
 * shared counter, no division, no clock read on the allocation path. */
static __thread uint32_t tl_sample_left HS_TLS;
static __thread uint32_t tl_budget_left HS_TLS;
#define AUTO_RECHECK 256u

static int sampled(uint32_t n)
{
	if (tl_sample_left > 1) {
		tl_sample_left--;
		return 0;
	}
	tl_sample_left = n;
	return 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void parse_mode(void)
{
	const char *m = hs_opt.guard;
	size_t n = hs_opt_len(m);
	if (hs_option_guard(m, n, &pol.spec) == 0)
		return;
	pol.spec.mode = HS_GUARD_AUTO;
	struct hs_out o;
	hs_out_init(&o, hs_err_fd);
	hs_out_str(&o, "heapscope: HEAPSCOPE_OPTIONS: bad value for guard: '");
	hs_out_mem(&o, m, n);
	hs_out_str(&o, "' (auto, off, all, sample:N, size:MIN-MAX); using auto\n");
	hs_out_flush(&o);
}

int hs_guard_wanted(size_t size)
{
	switch (pol.spec.mode) {
	case HS_GUARD_OFF:
		return 0;
	case HS_GUARD_ALL:
		return 1;
	case HS_GUARD_SIZE:
		return size >= pol.spec.min && size <= pol.spec.max;
	case HS_GUARD_SAMPLE:
		return sampled(pol.spec.n > UINT32_MAX ? UINT32_MAX : (uint32_t)pol.spec.n);
	case HS_GUARD_AUTO: {
		/* within budget every block is guarded, and a guarded block
		 * costs microseconds: the clock read is noise. Past it, the
		 * budget is looked at again every AUTO_RECHECK blocks. */
		if (tl_budget_left) {
			tl_budget_left--;
			return sampled(AUTO_SAMPLE);
		}
		uint64_t spent = __atomic_load_n(&g.st.guarded, __ATOMIC_RELAXED) * AUTO_COST_NS;
		if (spent < AUTO_ALLOWANCE_NS + (now_ns() - pol.start_ns) / AUTO_SHARE)
			return 1;
		tl_budget_left = AUTO_RECHECK;
		return sampled(AUTO_SAMPLE);
	}
	}
	return 0;
}

int hs_guard_sampling(void)
{
	return pol.spec.mode == HS_GUARD_SAMPLE;
}

void hs_guard_each_live(void (*fn)(struct hs_guard_slot *s, void *ctx), void *ctx)
{
	uint32_t n = __atomic_load_n(&g.nslots, __ATOMIC_ACQUIRE);
	for (uint32_t i = 0; i < n; i++)
		if (g.slot[i].state == HS_SLOT_LIVE)
			fn(&g.slot[i], ctx);
}

static uint64_t read_max_map_count(void)
{
	char buf[32];
	uint64_t v = hs_proc_read("/proc/sys/vm/max_map_count", buf, sizeof buf) > 0 ? hs_parse_dec(buf) : 0;
	return v ? v : 65530;
}

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102 /* Linux 6.13 */
#define MADV_GUARD_REMOVE 103
#endif
/* With markers no mapping limit applies, but a guarded block still holds
 * a page or more: at least this many live, 64 MiB of small blocks' pages
 * (about what the map budget allows under the default vm.max_map_count). */
#define MARKER_BUDGET 16384u

static int guard_advice(char *p, size_t len, int advice)
{
	int saved = errno;
	int r = madvise(p, len, advice);
	errno = saved;
	return r;
}

static uint64_t map_budget(void)
{
	/* Two mappings per live guarded block; keep 60 % of the limit for
	 * the program itself. */
	return read_max_map_count() * 4 / 10 / 2;
}

/* Pool pages [g.top, to) become a slot's data and, last, its guard after
 * (lock held). With markers they are made read/write — the read/write
 * part of the pool grows as one mapping, the rest stays PROT_NONE, so a
 * wild access past the newest slot still faults — and the guard page is
 * marked. A refused marker (a pool locked by mlockall) turns markers off
 * for the pages carved from then on: they are opened by mprotect. */
static int carve_locked(uint32_t to)
{
	if (!g.markers)
		return 0;
	char *from = g.base + ((size_t)g.top << HS_PAGE_SHIFT), *guard = g.base + ((size_t)(to - 1) << HS_PAGE_SHIFT);
	if (hs_pages_protect_rw(from, (size_t)(to - g.top) << HS_PAGE_SHIFT) != 0)
		return -1;
	if (guard_advice(guard, HS_PAGE_SIZE, MADV_GUARD_INSTALL) != 0) {
		hs_pages_protect_none(from, (size_t)(to - g.top) << HS_PAGE_SHIFT);
		g.markers = 0;
		uint64_t mb = map_budget();
		g.st.budget = mb < g.st.budget ? mb : g.st.budget;
	}
	return 0;
}

void hs_guard_init(void)
{
	if (g.base)
		return;
	parse_mode();
	pol.start_ns = now_ns();
	if (pol.spec.mode == HS_GUARD_OFF)
		return;
	char *base = hs_pages_reserve(POOL_SIZE, HS_PAGE_SIZE);
	if (!base)
		return;
	g.npages = (uint32_t)(POOL_SIZE >> HS_PAGE_SHIFT);
	g.page_slot = hs_pages_map_internal((size_t)g.npages * sizeof *g.page_slot, HS_PAGES_LAZY);
	g.slot = hs_pages_map_internal((size_t)MAX_SLOTS * sizeof *g.slot, HS_PAGES_LAZY);
	if (!g.page_slot || !g.slot)
		return;
	g.top = 1; /* page 0 is the first slot's guard before */
	g.st.budget = map_budget();
	/* Markers, if the kernel has them: page 0, read/write and marked, is
	 * the first piece of the pool's read/write part. No transparent huge
	 * pages in the pool: a marker would split one, and a 2 MiB page would
	 * back a few small blocks. */
	madvise(base, POOL_SIZE, MADV_NOHUGEPAGE);
	if (hs_pages_protect_rw(base, HS_PAGE_SIZE) == 0) {
		if (guard_advice(base, HS_PAGE_SIZE, MADV_GUARD_INSTALL) == 0) {
			g.markers = 1;
			if (g.st.budget < MARKER_BUDGET)
				g.st.budget = MARKER_BUDGET;
		} else {
			hs_pages_protect_none(base, HS_PAGE_SIZE);
		}
	}
	__atomic_store_n(&g.base, base, __ATOMIC_RELEASE);
}

void hs_guard_range(uintptr_t *lo, uintptr_t *hi)
{
	*lo = (uintptr_t)g.base;
	*hi = g.base ? (uintptr_t)g.base + POOL_SIZE : 0;
}

int hs_guard_contains(const void *p)
{
	return g.base && (uintptr_t)p - (uintptr_t)g.base < POOL_SIZE;
}

struct hs_guard_slot *hs_guard_slot_of(const void *p)
{
	if (!hs_guard_contains(p))
		return NULL;
	uint32_t page = (uint32_t)(((uintptr_t)p - (uintptr_t)g.base) >> HS_PAGE_SHIFT);
	uint32_t idx = __atomic_load_n(&g.page_slot[page], __ATOMIC_ACQUIRE);
	return idx ? &g.slot[idx - 1] : NULL;
}

size_t hs_guard_slot_bytes(const struct hs_guard_slot *s)
{
	return ((size_t)s->npages + 1) << HS_PAGE_SHIFT;
}

/* A slot's data pages made usable again: its markers removed, or
 * mprotect. */
static int open_data(struct hs_guard_slot *s)
{
	size_t len = (size_t)s->npages << HS_PAGE_SHIFT;
	if (s->marked && guard_advice(s->data, len, MADV_GUARD_REMOVE) != 0)
		return -1;
	/* also where markers were: the program may have changed the block's
	 * protection before freeing it */
	return hs_pages_protect_rw(s->data, len);
}

struct hs_guard_slot *hs_guard_alloc(size_t size, size_t align, unsigned api, int below)
{
	if (!g.base || align > HS_PAGE_SIZE)
		return NULL;
	size_t a = align < HS_MIN_ALIGN ? HS_MIN_ALIGN : align;
	size_t need = below ? size : hs_align_up(size, a);
	size_t npages = need ? (need + HS_PAGE_SIZE - 1) >> HS_PAGE_SHIFT : 1;
	if (size > (size_t)MAX_SLOT_PAGES << HS_PAGE_SHIFT || npages > MAX_SLOT_PAGES)
		return NULL;
	hs_lock(&g.lock);
	if (g.st.live >= g.st.budget || g.st.map_failed) {
		g.st.budget_exhausted = 1;
		hs_unlock(&g.lock);
		return NULL;
	}
	uint32_t idx = g.free_head[npages];
	struct hs_guard_slot *s;
	int fresh = 0;
	if (idx) {
		s = &g.slot[idx - 1];
		g.free_head[npages] = s->next_free;
	} else {
		if (g.top + npages + 1 > g.npages || g.nslots == MAX_SLOTS) {
			hs_unlock(&g.lock);
			return NULL;
		}
		if (carve_locked(g.top + (uint32_t)npages + 1) != 0) {
			g.st.map_failed = 1;
			g.st.budget_exhausted = 1;
			hs_unlock(&g.lock);
			return NULL;
		}
		idx = ++g.nslots;
		s = &g.slot[idx - 1];
		s->data = g.base + ((size_t)g.top << HS_PAGE_SHIFT);
		s->npages = (uint32_t)npages;
		/* carved by markers: its data pages are read/write already */
		s->marked = (uint8_t)g.markers;
		fresh = g.markers;
		for (uint32_t k = 0; k <= npages; k++)
			__atomic_store_n(&g.page_slot[g.top + k], idx, __ATOMIC_RELEASE);
		g.top += (uint32_t)npages + 1;
		g.st.slot_bytes += (npages + 1) << HS_PAGE_SHIFT;
	}
	g.st.live_bytes += npages << HS_PAGE_SHIFT;
	g.st.live++;
	if (g.st.live > g.st.peak_live)
		g.st.peak_live = g.st.live;
	g.st.guarded++;
	hs_unlock(&g.lock);
	if (!fresh && open_data(s) != 0) {
		/* Most likely vm.max_map_count: stop guarding, keep working. */
		hs_lock(&g.lock);
		g.st.map_failed = 1;
		g.st.budget_exhausted = 1;
		g.st.live--;
		g.st.guarded--;
		g.st.live_bytes -= npages << HS_PAGE_SHIFT;
		s->state = HS_SLOT_FREE;
		s->next_free = g.free_head[npages];
		g.free_head[npages] = idx;
		hs_unlock(&g.lock);
		return NULL;
	}
	char *end = s->data + (npages << HS_PAGE_SHIFT);
	s->below = (uint8_t)below;
	s->user = below ? s->data : end - need;
	s->size = size;
	memset(&s->meta, 0, sizeof s->meta);
	s->meta.size = (uint32_t)size;
	s->meta.api = (uint8_t)api;
	s->meta.state = HS_STATE_LIVE;
	s->meta.canary = 1;
	hs_canary_fill(s->user + size, end); /* below or not, the slot's data ends at end */
	__atomic_store_n(&s->state, HS_SLOT_LIVE, __ATOMIC_RELEASE);
	return s;
}

void hs_guard_retire(struct hs_guard_slot *s)
{
	size_t len = (size_t)s->npages << HS_PAGE_SHIFT;
	int saved = errno; /* on the free path */
	/* A marker also gives the pages back to the kernel. Refused (this
	 * part of the pool locked by mlock), the slot is closed the other
	 * way; markers a partial install left are removed first, or they
	 * would fault once the slot is opened by mprotect. */
	if (s->marked && guard_advice(s->data, len, MADV_GUARD_INSTALL) != 0) {
		guard_advice(s->data, len, MADV_GUARD_REMOVE);
		s->marked = 0;
	}
	if (!s->marked) {
		/* writable for decommit (the program may have changed the
		 * block's protection before freeing it) */
		hs_pages_protect_rw(s->data, len);
		hs_pages_decommit(s->data, len);
		if (hs_pages_protect_none(s->data, len) != 0)
			g.st.map_failed = 1; /* still usable; only the fault on reuse is lost */
	}
	errno = saved;
	hs_lock(&g.lock);
	s->state = HS_SLOT_QUARANTINED;
	g.st.live--;
	g.st.live_bytes -= len;
	hs_unlock(&g.lock);
}

void hs_guard_release(struct hs_guard_slot *s)
{
	hs_lock(&g.lock);
	s->state = HS_SLOT_FREE;
	uint32_t idx = (uint32_t)(s - g.slot) + 1;
	s->next_free = g.free_head[s->npages];
	g.free_head[s->npages] = idx;
	hs_unlock(&g.lock);
}

void hs_guard_stats(struct hs_guard_stats *out)
{
	hs_lock(&g.lock);
	*out = g.st;
	out->markers = g.markers;
	hs_unlock(&g.lock);
}

void hs_guard_lock(void)
{
	hs_lock(&g.lock);
}

void hs_guard_unlock(void)
{
	hs_unlock(&g.lock);
}

void hs_guard_reset_lock(void)
{
	hs_lock_reset(&g.lock);
}
