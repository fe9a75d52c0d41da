/* snapshot.c — SNAPSHOT records: the allocator's state (slab lists and
 * occupancy per class, buddy blocks per order, large blocks, guard and
 * quarantine overhead) and the process's segments from /proc/self/maps
 * classified as the program sees them (enum hs_segment), with RSS and page
 * faults. Resident sizes per segment come from /proc/self/pagemap, which
 * costs more (0.3 ms a compiler's): only in a run of 20 ms or more, there
 * in the first snapshot, every RESIDENT_EVERY-th and the one at exit (so a
 * chart has two points), and never in a script's many short processes.
 *
 * Segments: a file mapped with an executable part is a loaded object — its
 * r-x pieces are text, r-- rodata, rw- data, and the anonymous rw- mapping
 * right after its data is its bss. Anonymous rw- memory that directly
 * follows a small PROT_NONE mapping is a thread stack (glibc puts a guard
 * page below each). heapscope's heap reservation and guard pool are "heap";
 * its registered internal mappings "heapscope"; large blocks are counted as
 * heap from the allocator's own totals and taken out of "anon".
 *
 * One snapshot at a time (`busy`); no allocation: fixed buffers.
 */
#define _GNU_SOURCE
#include "snapshot.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <heapscope/trace_format.h>

#include "guard.h"
#include "large.h"
#include "options.h"
#include "pagemap.h"
#include "pagescan.h"
#include "pages.h"
#include "procmaps.h"
#include "quarantine.h"
#include "stats.h"
#include "trace_writer.h"

#define RESIDENT_EVERY 10
#define MAX_OBJECTS 1024

static struct {
	int busy;
	int wanted;		/* a growth asked for a snapshot */
	uint64_t grown_mark;	/* heap bytes that make a growth worth one */
	uint64_t next_ms;
	uint64_t first_ns;	/* precise clock at the first hs_snapshot_maybe */
	uint64_t spent_ns;	/* time taken by snapshots so far */
	unsigned count;		/* regular snapshots since the first resident one */
	int resident_taken;
	uint64_t obj_hash[MAX_OBJECTS]; /* paths with an executable mapping */
	unsigned nobj;
	uint64_t virt[HS_SEG_KINDS], res[HS_SEG_KINDS];
} sn;

static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
	return h | 1;
}

static int is_object(uint64_t h)
{
	for (unsigned i = 0; i < sn.nobj; i++)
		if (sn.obj_hash[i] == h)
			return 1;
	return 0;
}

static void find_object(const struct hs_mapping *m)
{
	if (m->perms[2] != 'x' || m->path_len == 0 || m->path[0] != '/')
		return;
	uint64_t h = hash_str(m->path, m->path_len);
	if (!is_object(h) && sn.nobj < MAX_OBJECTS)
		sn.obj_hash[sn.nobj++] = h;
}

struct classify_state {
	int prev_object_data; /* previous line was a loaded object's rw- data */
	uintptr_t prev_hi;
	int prev_none_small;  /* previous line was a small PROT_NONE mapping */
	uint64_t *virt;
	uint64_t *res;	      /* NULL: no resident sizes in this snapshot */
	struct resident *rd;  /* for res */
};

static int classify(const struct hs_mapping *m, struct classify_state *st)
{
	int kind = -1;
	int adjacent = m->lo == st->prev_hi;
	if (hs_heap_contains((void *)m->lo) || hs_guard_contains((void *)m->lo))
		kind = HS_SEG_HEAP;
	else if (hs_pages_is_internal(m->lo, m->hi))
		kind = HS_SEG_HEAPSCOPE;
	else if (m->path_len >= 6 && !memcmp(m->path, "[heap]", 6))
		kind = HS_SEG_BRK;
	else if (m->path_len >= 7 && !memcmp(m->path, "[stack]", 7))
		kind = HS_SEG_STACK;
	else if (m->path_len && m->path[0] == '[')
		kind = -1; /* vdso, vvar, vsyscall */
	else if (!strcmp(m->perms, "---p"))
		kind = -1; /* reserved, not memory */
	else if (!m->anon && is_object(hash_str(m->path, m->path_len)))
		kind = m->perms[2] == 'x' ? HS_SEG_TEXT : m->perms[1] == 'w' ? HS_SEG_DATA : HS_SEG_RODATA;
	else if (!m->anon)
		kind = HS_SEG_FILES;
	else if (st->prev_object_data && adjacent)
		kind = HS_SEG_BSS;
	else if (st->prev_none_small && adjacent && m->perms[1] == 'w')
		kind = HS_SEG_THREAD_STACKS;
	else
		kind = HS_SEG_ANON;
	st->prev_object_data = kind == HS_SEG_DATA;
	st->prev_none_small = !strcmp(m->perms, "---p") && m->hi - m->lo <= (64u << 10);
	st->prev_hi = m->hi;
	return kind;
}

/* Resident bytes of [lo, hi), asked of /proc/self/pagemap (pagescan.c):
 * unlike smaps it can be asked about a part of a mapping, and the kernel
 * merges the heap's lines with heapscope's and the program's own. */
struct resident {
	struct hs_pagescan ps;
	int failed; /* an answer was incomplete: no resident sizes this time */
};

static void add_run(uintptr_t a, uintptr_t b, void *ctx)
{
	*(uint64_t *)ctx += b - a;
}

static uint64_t resident_in(struct resident *r, uintptr_t lo, uintptr_t hi)
{
	uint64_t bytes = 0;
	if (!r->failed && hs_pagescan_each(&r->ps, lo, hi, HS_PAGES_RESIDENT, add_run, &bytes) < hi)
		r->failed = 1;
	return bytes;
}

static uint64_t add_resident(struct classify_state *st, int kind, uintptr_t lo, uintptr_t hi)
{
	if (!st->res)
		return 0;
	uint64_t r = resident_in(st->rd, lo, hi);
	st->res[kind] += r;
	return r;
}

static uint64_t add(struct classify_state *st, int kind, uintptr_t lo, uintptr_t hi)
{
	st->virt[kind] += hi - lo;
	return add_resident(st, kind, lo, hi);
}

struct covered {
	struct classify_state *st;
	uintptr_t lo, hi;
	uint64_t bytes, res;
};

static int add_covered(uintptr_t a, uintptr_t b, void *ctx)
{
	struct covered *c = ctx;
	uintptr_t x = c->lo > a ? c->lo : a, y = c->hi < b ? c->hi : b;
	if (y > x) {
		c->bytes += y - x;
		c->res += add(c->st, HS_SEG_HEAPSCOPE, x, y);
	}
	return 0;
}

/* [lo, hi), a piece of mapping m outside the heap and the guard pool. */
static void sum_piece(const struct hs_mapping *m, int kind, uintptr_t lo, uintptr_t hi, struct classify_state *st)
{
	if (hi <= lo)
		return;
	if (kind == HS_SEG_HEAP || kind == HS_SEG_HEAPSCOPE) {
		if (m->anon) {
			/* the program's own anonymous memory may share the
			 * line: only what our registered mappings cover is
			 * heapscope's, the rest is the program's */
			struct covered c = {st, lo, hi, 0, 0};
			hs_pages_each_internal(lo, hi, add_covered, &c);
			if (c.bytes < hi - lo) {
				st->virt[HS_SEG_ANON] += hi - lo - c.bytes;
				if (st->res) {
					uint64_t r = resident_in(st->rd, lo, hi);
					st->res[HS_SEG_ANON] += r > c.res ? r - c.res : 0;
				}
			}
			return;
		}
		kind = HS_SEG_HEAPSCOPE; /* whatever of it is not the heap */
	}
	add(st, kind, lo, hi);
}

/* The kernel merges neighbouring anonymous mappings: the heap's usable
 * part may share one line with heapscope's own memory and the program's.
 * The heap reservation and the guard pool are cut out of the line as heap,
 * in virtual and in resident sizes alike. */
static void sum_mapping(const struct hs_mapping *m, struct classify_state *st)
{
	int kind = classify(m, st);
	if (kind < 0 || m->perms[0] == '-')
		return;
	uintptr_t cut[2][2];
	hs_guard_range(&cut[1][0], &cut[1][1]);
	cut[0][0] = (uintptr_t)hs_heap.base;
	cut[0][1] = (uintptr_t)hs_heap.base + hs_heap.size;
	int first = cut[1][0] < cut[0][0]; /* address order */
	uintptr_t at = m->lo;
	for (int i = 0; i < 2; i++) {
		const uintptr_t *c = cut[i ^ first];
		uintptr_t lo = c[0] > m->lo ? c[0] : m->lo, hi = c[1] < m->hi ? c[1] : m->hi;
		if (hi <= lo || lo < at)
			continue;
		sum_piece(m, kind, at, lo, st);
		if ((i ^ first) == 1) /* the pool: its virtual size is added once (take) */
			add_resident(st, HS_SEG_HEAP, lo, hi);
		else
			add(st, HS_SEG_HEAP, lo, hi);
		at = hi;
	}
	sum_piece(m, kind, at, m->hi, st);
}

/* A large block: an anonymous mapping, summed as "anon", of our heap. */
static void resident_large(uintptr_t lo, uintptr_t hi, void *ctx)
{
	struct classify_state *st = ctx;
	uint64_t r = resident_in(st->rd, lo, hi);
	if (r > st->res[HS_SEG_ANON])
		r = st->res[HS_SEG_ANON];
	st->res[HS_SEG_ANON] -= r;
	st->res[HS_SEG_HEAP] += r;
}

static uint64_t rss_bytes(void)
{
	char buf[128];
	if (hs_proc_read("/proc/self/statm", buf, sizeof buf) <= 0)
		return 0;
	const char *p = strchr(buf, ' '); /* second field: resident pages */
	return p ? hs_parse_dec(p) * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
}

static struct hs_maps own_maps; /* the regular snapshots' (under busy) */

static void take(uint64_t t_ms, int resident, const struct hs_maps *given)
{
	static struct hs_stats st; /* one snapshot at a time: busy */
	hs_stats_collect(&st);
	/* blocks in quarantine are freed for the program: out of "live" */
	struct hs_quarantine_tally qt;
	hs_quarantine_tally(&qt);
	for (unsigned i = 0; i < HS_SLAB_CLASSES; i++) {
		st.cls[i].live -= (int64_t)qt.cls_count[i];
		st.cls[i].requested -= (int64_t)qt.cls_requested[i];
	}
	for (unsigned o = 0; o < HS_BUDDY_ORDERS; o++) {
		st.buddy.used_blocks[o] -= qt.order_count[o];
		st.buddy.requested[o] -= qt.order_requested[o];
	}
	st.large.blocks -= qt.large_blocks;
	st.large.requested -= qt.large_requested;
	st.large.mapped -= qt.large_mapped;
	uint64_t heap = st.buddy.committed + st.large.mapped + qt.large_mapped;
	__atomic_store_n(&sn.grown_mark, heap + heap / 4 + (1u << 20), __ATOMIC_RELAXED);
	struct hs_guard_stats gs;
	hs_guard_stats(&gs);
	sn.nobj = 0;
	/* read once, gone through twice: the objects first (their r-- pages
	 * come before their code), then the sums */
	if (!given && hs_maps_read(&own_maps) != 0)
		own_maps.n = 0;
	const struct hs_maps *maps = given ? given : &own_maps;
	for (size_t i = 0; i < maps->n; i++)
		find_object(&maps->m[i]);
	memset(sn.virt, 0, sizeof sn.virt);
	memset(sn.res, 0, sizeof sn.res);
	struct resident rd = {.failed = 0};
	struct classify_state cs = {.virt = sn.virt, .rd = &rd};
	if (resident) {
		/* the fallback's bound: 4 GiB of address space a snapshot */
		resident = hs_pagescan_open(&rd.ps, (uint64_t)1 << 20) == 0;
		if (resident)
			cs.res = sn.res;
	}
	for (size_t i = 0; i < maps->n; i++)
		sum_mapping(&maps->m[i], &cs);
	/* the guard pool's address space is its live slots' data pages (with
	 * guard markers the rest of what was carved is read/write too) */
	sn.virt[HS_SEG_HEAP] += gs.live_bytes;
	/* large blocks are anonymous mappings of our heap */
	uint64_t large = st.large.mapped < sn.virt[HS_SEG_ANON] ? st.large.mapped : sn.virt[HS_SEG_ANON];
	sn.virt[HS_SEG_ANON] -= large;
	sn.virt[HS_SEG_HEAP] += large;
	if (resident) {
		hs_large_each_mapping(resident_large, &cs);
		hs_pagescan_close(&rd.ps);
		resident = !rd.failed;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);

	uint8_t buf[64 + (HS_SLAB_CLASSES * 6 + HS_BUDDY_ORDERS * 4 + 2 * HS_SEG_KINDS * 2 + 32) * HS_VARINT_MAX];
	size_t k = 0;
	k += hs_put_varint(buf + k, t_ms);
	k += hs_put_varint(buf + k, HS_SLAB_CLASSES);
	for (unsigned i = 0; i < HS_SLAB_CLASSES; i++) {
		const struct hs_class_stats *c = &st.cls[i];
		for (unsigned l = 0; l < 3; l++)
			k += hs_put_varint(buf + k, c->slabs[l]);
		k += hs_put_varint(buf + k, c->capacity);
		k += hs_put_varint(buf + k, c->live > 0 ? (uint64_t)c->live : 0);
		k += hs_put_varint(buf + k, c->requested > 0 ? (uint64_t)c->requested : 0);
	}
	k += hs_put_varint(buf + k, HS_BUDDY_ORDERS);
	for (unsigned o = 0; o < HS_BUDDY_ORDERS; o++) {
		k += hs_put_varint(buf + k, st.buddy.used_blocks[o]);
		k += hs_put_varint(buf + k, st.buddy.slab_blocks[o]);
		k += hs_put_varint(buf + k, st.buddy.free_blocks[o]);
		k += hs_put_varint(buf + k, st.buddy.requested[o]);
	}
	k += hs_put_varint(buf + k, st.buddy.committed);
	k += hs_put_varint(buf + k, st.buddy.zero_free);
	k += hs_put_varint(buf + k, st.large.blocks);
	k += hs_put_varint(buf + k, st.large.requested);
	k += hs_put_varint(buf + k, st.large.mapped);
	k += hs_put_varint(buf + k, gs.live_bytes);
	k += hs_put_varint(buf + k, gs.slot_bytes);
	k += hs_put_varint(buf + k, hs_quarantine_bytes());
	k += hs_put_varint(buf + k, st.arena_mapped);
	k += hs_put_varint(buf + k, rss_bytes());
	k += hs_put_varint(buf + k, (uint64_t)ru.ru_minflt);
	k += hs_put_varint(buf + k, (uint64_t)ru.ru_majflt);
	k += hs_put_varint(buf + k, HS_SEG_KINDS);
	for (unsigned s = 0; s < HS_SEG_KINDS; s++) {
		k += hs_put_varint(buf + k, s);
		k += hs_put_varint(buf + k, sn.virt[s]);
	}
	k += hs_put_varint(buf + k, (uint64_t)resident);
	if (resident) {
		k += hs_put_varint(buf + k, HS_SEG_KINDS);
		for (unsigned s = 0; s < HS_SEG_KINDS; s++) {
			k += hs_put_varint(buf + k, s);
			k += hs_put_varint(buf + k, sn.res[s]);
		}
	}
	hs_trace_record(HS_REC_SNAPSHOT, buf, k);
}

void hs_snapshot_note_growth(uint64_t bytes)
{
	uint64_t mark = __atomic_load_n(&sn.grown_mark, __ATOMIC_RELAXED);
	if (mark && bytes >= mark)
		__atomic_store_n(&sn.wanted, 1, __ATOMIC_RELAXED);
}

static uint64_t precise_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Should this snapshot read smaps (see the top)? Called with busy held. */
#define RESIDENT_MIN_NS 20000000u
static int want_resident(int at_exit)
{
	if (sn.first_ns && precise_ns() - sn.first_ns < RESIDENT_MIN_NS)
		return 0;
	int due = at_exit || !sn.resident_taken || ++sn.count % RESIDENT_EVERY == 0;
	sn.resident_taken |= due;
	return due;
}

/* A snapshot reads /proc: 0.1-0.5 ms, far more with many mappings (as under
 * guard=all). The regular ones come every snapshot_ms, a gap widened after
 * an expensive one so that they stay under 5 % of the run even then (at the
 * default 100 ms a usual one is 0.1-0.5 %). The extra ones a growing heap
 * asks for are refused while all snapshots so far took over 1 % of the run
 * plus a small allowance: a short program growing its heap from nothing
 * would otherwise pay for a dozen; the allowance still gives it a few, so
 * that its charts have a shape. */
#define GROWTH_ALLOWANCE_NS 500000u
void hs_snapshot_maybe(void)
{
	if (!hs_opt.snapshot_ms)
		return;
	uint64_t t = hs_trace_clock_ms();
	int due = t >= __atomic_load_n(&sn.next_ms, __ATOMIC_RELAXED);
	if (!due && !__atomic_load_n(&sn.wanted, __ATOMIC_RELAXED))
		return;
	if (__atomic_exchange_n(&sn.busy, 1, __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&sn.wanted, 0, __ATOMIC_RELAXED);
	int saved = errno; /* on the malloc path: /proc may fail to open */
	uint64_t t0 = precise_ns();
	if (!sn.first_ns)
		sn.first_ns = t0;
	if (due || sn.spent_ns * 100 <= t0 - sn.first_ns + GROWTH_ALLOWANCE_NS * 100) {
		take(t, want_resident(0), NULL);
		uint64_t spent = precise_ns() - t0;
		sn.spent_ns += spent;
		uint64_t gap = spent / 50000u; /* ms: 20 × spent */
		if (gap < hs_opt.snapshot_ms)
			gap = hs_opt.snapshot_ms;
		__atomic_store_n(&sn.next_ms, t + gap, __ATOMIC_RELAXED);
	}
	errno = saved;
	__atomic_store_n(&sn.busy, 0, __ATOMIC_RELEASE);
}

/* The clock is the trace's: it starts with recording; the first regular
 * snapshot comes one gap later. One at the start would show an empty heap
 * and cost a process that lives a millisecond (git's many) as much as the
 * one at its end. */
static void start_clock(void)
{
	sn.first_ns = precise_ns();
	sn.spent_ns = 0;
	sn.count = 0;
	sn.resident_taken = 0;
	__atomic_store_n(&sn.next_ms, hs_trace_clock_ms() + hs_opt.snapshot_ms, __ATOMIC_RELAXED);
}

void hs_snapshot_start(void)
{
	if (!hs_opt.snapshot_ms)
		return;
	__atomic_store_n(&sn.grown_mark, 1u << 20, __ATOMIC_RELAXED);
	start_clock();
}

/* A fork child's trace starts its clock again: so do its snapshots (its
 * heap and growth mark are its parent's). A snapshot another thread of the
 * parent was taking is not the child's to finish. */
void hs_snapshot_after_fork_child(void)
{
	/* its buffers may have been moving (mremap) at the fork: forgotten */
	if (__atomic_load_n(&sn.busy, __ATOMIC_RELAXED))
		memset(&own_maps, 0, sizeof own_maps);
	__atomic_store_n(&sn.busy, 0, __ATOMIC_RELAXED);
	start_clock();
}

void hs_snapshot_now(const struct hs_maps *maps)
{
	while (__atomic_exchange_n(&sn.busy, 1, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
	take(hs_trace_clock_ms(), want_resident(1), maps);
	__atomic_store_n(&sn.busy, 0, __ATOMIC_RELEASE);
}
