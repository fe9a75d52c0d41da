/* leakscan.c — leak detection by reachability, classified as valgrind does.
 *
 * 1. Before pausing anything: the roots that need the loader or /proc —
 *    writable segments of every loaded object except heapscope's own, this
 *    thread's static TLS blocks and thread control block, /proc/self/maps.
 * 2. Pause the other threads (stopworld.c); their registers and their stacks
 *    from the stack pointer up become roots, as does this thread's stack.
 * 3. Blocks allocated before recording started or by the dynamic loader
 *    itself (first frame in ld.so) are roots too: they are the C library's
 *    and the loader's own (link maps, thread vectors), not the program's.
 * 4. Mark, conservatively and word by word, with an explicit work list:
 *    a pointer to a block's start from a root or a REACHABLE block makes
 *    it REACHABLE; a pointer into it, or any pointer from a POSSIBLE
 *    block, makes it POSSIBLE (valgrind's "possibly lost"); both are
 *    followed.
 * 5. Every block still unreached, in address order, leads a clique: what it
 *    reaches (and other leaders it reaches) becomes INDIRECT, the leader
 *    DEFINITE — so a leaked list is 1 definite + N indirect, and a leaked
 *    cycle has exactly one definite block.
 * 6. Resume the threads, then write the result as one LEAKS record, grouped
 *    by (kind, allocation stack).
 *
 * In detect mode the scan also checks every live block's canary: an
 * overflow of a block never freed is reported "at exit".
 *
 * Between pause and resume nothing here allocates or takes a lock a paused
 * thread might hold: scratch memory comes straight from pages.c and the
 * block tables are read without their locks. Marks live in hs_meta_t.mark.
 */
#define _GNU_SOURCE
#include "leakscan.h"

#include <fcntl.h>
#include <link.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include <heapscope/trace_format.h>

#include "alloc.h"
#include "block.h"
#include "fault.h"
#include "options.h"
#include "out.h"
#include "guard.h"
#include "buddy.h"
#include "large.h"
#include "pagemap.h"
#include "pagescan.h"
#include "pages.h"
#include "procmaps.h"
#include "record.h"
#include "report.h"
#include "slab.h"
#include "stackdepot.h"
#include "stopworld.h"
#include "trace_writer.h"

enum mark { M_UNREACHED = 0, M_INDIRECT = 1, M_DEFINITE = 2, M_POSSIBLE = 3, M_REACHABLE = 4 };

struct range {
	uintptr_t lo, hi;
};

struct item {
	char *start;
	size_t size;
	size_t usable; /* start to the slot's end: the canary follows size */
	hs_meta_t *meta;
};

struct group {
	uint64_t key; /* stack << 8 | api << 3 | kind, +1 so that 0 means empty */
	uint64_t blocks, bytes;
};

/* Scratch arrays from pages.c, grown with mremap; never from the heap. */
struct vec {
	void *p;
	size_t n, cap, elem;
};

static int vec_push(struct vec *v, const void *e)
{
	if (v->n == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 4096;
		void *np = v->p ? hs_pages_remap_internal(v->p, v->cap * v->elem, ncap * v->elem)
				: hs_pages_map_internal(ncap * v->elem, HS_PAGES_LAZY);
		if (!np)
			return -1;
		v->p = np;
		v->cap = ncap;
	}
	memcpy((char *)v->p + v->n * v->elem, e, v->elem);
	v->n++;
	return 0;
}

static void vec_free(struct vec *v)
{
	if (v->p)
		hs_pages_unmap_internal(v->p, v->cap * v->elem);
	v->p = NULL;
	v->n = v->cap = 0;
}

/* The loaded objects' loadable segments, by address (segment_at). Kept
 * out of `ls`, which is cleared whole for every scan: these 48 KiB are
 * touched only as far as they are used (a page for most programs). Past
 * MAX_SEGMENTS the others are not known: their vtables do not count (the
 * heuristic misses). */
#define MAX_SEGMENTS 2048
static struct segment {
	uintptr_t lo, hi;
	uint8_t read, exec;
} seg[MAX_SEGMENTS];

static struct {
	struct vec roots;	/* struct range */
	struct vec work;	/* struct item */
	struct hs_large **large; /* sorted by address */
	size_t nlarge, large_cap;
	struct hs_guard_slot **guard; /* live guarded blocks, in address order */
	size_t nguard, guard_cap;
	struct hs_block broken[64]; /* blocks whose canary is broken (detect mode) */
	long broken_at[64];
	unsigned nbroken;
	struct hs_maps own_maps;
	const struct hs_maps *maps; /* own_maps, or the caller's */
	uintptr_t self_lo, self_hi, ld_lo, ld_hi;
	/* Where blocks can be, as base and span (w - base < span): the heap's
	 * used pages, the guard pool, the large blocks. Most scanned words
	 * (zeros, counts, code and stack addresses) fall outside all three
	 * and are rejected without a call. */
	uintptr_t heap_lo, heap_span, guard_lo, guard_span, large_lo, large_span;
	/* The smallest range that holds all three: the scan's first test, four
	 * words at a time (one range test per word instead of three is most of
	 * scanning a short process's roots and heap). */
	uintptr_t env_lo, env_span;
	/* seg[0..nseg): see below; seg_lo and seg_span cover them all */
	size_t nseg;
	uintptr_t seg_lo, seg_span;
	uint32_t top;
	struct hs_thread_state *threads;
	int nthreads;
	uint64_t live_blocks;
} ls;

/* ---- roots gathered before the pause --------------------------------- */

static void add_root(uintptr_t lo, uintptr_t hi)
{
	lo = (lo + 7) & ~(uintptr_t)7;
	if (hi > lo) {
		struct range r = {lo, hi};
		vec_push(&ls.roots, &r);
	}
}

/* Call fn on each mapping of the /proc/self/maps snapshot (read by
 * hs_maps_read, which also makes sure that it describes the address space
 * the scan sees); fn returns nonzero to stop. */
static void each_mapping(int (*fn)(const struct hs_mapping *m, void *ctx), void *ctx)
{
	for (size_t i = 0; i < ls.maps->n; i++)
		if (fn(&ls.maps->m[i], ctx))
			return;
}

struct find_mapping {
	uintptr_t addr;
	struct range *out;
	int found;
};

static int match_mapping(const struct hs_mapping *m, void *ctx)
{
	struct find_mapping *f = ctx;
	if (f->addr < m->lo || f->addr >= m->hi)
		return 0;
	f->out->lo = m->lo;
	f->out->hi = m->hi;
	f->found = 1;
	return 1;
}

/* The mapping containing addr, from the /proc/self/maps snapshot. */
static int mapping_of(uintptr_t addr, struct range *out)
{
	struct find_mapping f = {addr, out, 0};
	each_mapping(match_mapping, &f);
	return f.found ? 0 : -1;
}

/* A writable anonymous mapping over a terabyte is a reservation (a
 * sanitizer's shadow memory, a runtime's arena), not data: even skipping
 * its unwritten pages would mean reading gigabytes of /proc/self/pagemap. */
#define HUGE_RESERVATION ((uintptr_t)1 << 40)

/* The ranges of maps line [lo, hi) that are not the program's: what
 * anonymous_root leaves out of it. */
#define MAX_EXCLUDED 256
struct excluded {
	uintptr_t lo, hi;
	struct range r[MAX_EXCLUDED];
	size_t n;
	int overflow;
};

static int exclude(uintptr_t a, uintptr_t b, void *ctx)
{
	struct excluded *x = ctx;
	if (a >= x->hi || b <= x->lo)
		return 0;
	if (x->n == MAX_EXCLUDED) {
		x->overflow = 1;
		return 1;
	}
	x->r[x->n++] = (struct range){a, b};
	return 0;
}

/* The line less x's ranges: each piece is a root. */
static void add_root_except(struct excluded *x)
{
	uintptr_t lo = x->lo, hi = x->hi;
	for (size_t i = 1; i < x->n; i++) /* a few: insertion sort by start */
		for (size_t j = i; j > 0 && x->r[j].lo < x->r[j - 1].lo; j--) {
			struct range t = x->r[j];
			x->r[j] = x->r[j - 1];
			x->r[j - 1] = t;
		}
	for (size_t i = 0; i < x->n && lo < hi; i++) {
		if (x->r[i].lo > lo)
			add_root(lo, x->r[i].lo < hi ? x->r[i].lo : hi);
		if (x->r[i].hi > lo)
			lo = x->r[i].hi;
	}
	if (lo < hi)
		add_root(lo, hi);
}

static int anonymous_root(const struct hs_mapping *m, void *ctx)
{
	const uintptr_t *skip = ctx; /* this thread's stack pointer, thread pointer */
	uintptr_t lo = m->lo, hi = m->hi;
	int rw = m->perms[0] == 'r' && m->perms[1] == 'w' && m->perms[3] == 'p';
	int anon = m->anon && (!m->path_len || !strncmp(m->path, "[heap]", 6) || !strncmp(m->path, "[anon:", 6));
	if (!rw || !anon)
		return 0;
	if ((skip[0] >= lo && skip[0] < hi) || (skip[1] >= lo && skip[1] < hi))
		return 0;
	for (int i = 0; i < ls.nthreads; i++)
		if (ls.threads[i].sp >= lo && ls.threads[i].sp < hi)
			return 0; /* a stack, scanned from its stack pointer */
	if (hi - lo > HUGE_RESERVATION)
		return 0;
	/* The kernel merges neighbouring mappings whose flags agree, so a line
	 * may hold the program's memory next to heapscope's: the heap and the
	 * guard pool (blocks, not roots), a large block (scanned as a block),
	 * its own mappings and bss, and an object's bss that is a root already
	 * as the object's data. Only the rest is a root: a line touching any
	 * of these used to be skipped whole, and a program's arena mapped next
	 * to a large block was never scanned. */
	static struct excluded x; /* one scan at a time (scan_lock): off the stack */
	x.lo = lo;
	x.hi = hi;
	x.n = 0;
	x.overflow = 0;
	uintptr_t glo, ghi;
	hs_guard_range(&glo, &ghi);
	exclude((uintptr_t)hs_heap.base, (uintptr_t)hs_heap.base + hs_heap.size, &x);
	exclude(glo, ghi, &x);
	exclude(ls.self_lo, ls.self_hi, &x);
	hs_pages_each_internal(lo, hi, exclude, &x);
	for (size_t i = 0; i < ls.nlarge; i++)
		exclude((uintptr_t)ls.large[i]->map, (uintptr_t)ls.large[i]->map + ls.large[i]->mapped, &x);
	const struct range *r = ls.roots.p;
	for (size_t i = 0; i < ls.roots.n; i++)
		exclude(r[i].lo, r[i].hi, &x);
	if (x.overflow)
		return 0; /* too mixed a line to split: left out, as before */
	add_root_except(&x);
	return 0;
}

/* Anonymous writable mappings the program made itself (its own arenas:
 * CPython's obmalloc, JIT heaps, caches of exited threads' stacks) hold
 * pointers like any global does: roots, as valgrind takes them. Left out:
 * heapscope's heap and own mappings, large blocks (scanned as blocks), the
 * stacks scanned from their stack pointer, and huge reservations. */
static void add_anonymous_roots(uintptr_t sp, uintptr_t tp)
{
	uintptr_t skip[2] = {sp, tp};
	each_mapping(anonymous_root, skip);
}

static int collect_module(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	int writable_roots = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD) {
			if (a < lo)
				lo = a;
			if (a + ph->p_memsz > hi)
				hi = a + ph->p_memsz;
			if ((ph->p_flags & (PF_R | PF_X)) && ph->p_memsz && ls.nseg < MAX_SEGMENTS)
				seg[ls.nseg++] = (struct segment){a, a + ph->p_memsz, !!(ph->p_flags & PF_R),
								  !!(ph->p_flags & PF_X)};
		}
	}
	int self = (uintptr_t)&hs_leak_check >= lo && (uintptr_t)&hs_leak_check < hi;
	if (self) {
		ls.self_lo = lo;
		ls.self_hi = hi;
	}
	if (info->dlpi_addr == getauxval(AT_BASE)) {
		ls.ld_lo = lo;
		ls.ld_hi = hi;
	}
	for (int i = 0; i < info->dlpi_phnum && !self; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W)) {
			add_root(a, a + ph->p_memsz);
			writable_roots++;
		}
		/* this thread's copy of the module's thread-local variables */
		if (ph->p_type == PT_TLS && info->dlpi_tls_data)
			add_root((uintptr_t)info->dlpi_tls_data, (uintptr_t)info->dlpi_tls_data + ph->p_memsz);
	}
	return 0;
}

/* ---- blocks ------------------------------------------------------------ */

/* Call fn on every live block, in address order (heap, then large). */
static void each_live(void (*fn)(struct item *it, void *ctx), void *ctx)
{
	for (uint32_t i = 0; i < ls.top;) {
		hs_page_t *pg = &hs_heap.map[i];
		if (pg->kind == HS_PAGE_SLAB && pg->slab && pg->slab->page == i) {
			struct hs_slab *s = pg->slab;
			uint32_t size = hs_slab_classes[s->cls].size;
			for (unsigned k = 0; k < s->nobj; k++)
				if (s->meta[k].state == HS_STATE_LIVE) {
					struct item it = {s->base + (size_t)k * size, s->meta[k].size, size, &s->meta[k]};
					fn(&it, ctx);
				}
			i += 1u << pg->order;
		} else if (pg->kind == HS_PAGE_BLOCK) {
			if (pg->u.meta.state == HS_STATE_LIVE) {
				struct item it = {hs_page_addr(i), pg->u.meta.size, HS_PAGE_SIZE << pg->order,
						  &pg->u.meta};
				fn(&it, ctx);
			}
			i += 1u << pg->order;
		} else if (pg->kind == HS_PAGE_FREE) {
			i += 1u << pg->order;
		} else {
			i++;
		}
	}
	for (size_t k = 0; k < ls.nlarge; k++) {
		struct hs_large *e = ls.large[k];
		struct item it = {e->user, e->size, e->mapped - (size_t)(e->user - e->map), &e->meta};
		fn(&it, ctx);
	}
	for (size_t k = 0; k < ls.nguard; k++) {
		struct hs_guard_slot *s = ls.guard[k];
		struct item it = {s->user, s->size,
				  (size_t)(s->data + ((size_t)s->npages << HS_PAGE_SHIFT) - s->user), &s->meta};
		fn(&it, ctx);
	}
}

static void set_spans(void)
{
	ls.heap_lo = (uintptr_t)hs_heap.base;
	ls.heap_span = (uintptr_t)ls.top << HS_PAGE_SHIFT;
	uintptr_t hi;
	hs_guard_range(&ls.guard_lo, &hi);
	ls.guard_span = hi - ls.guard_lo;
	if (ls.nlarge) {
		struct hs_large *last = ls.large[ls.nlarge - 1];
		ls.large_lo = (uintptr_t)ls.large[0]->user;
		ls.large_span = (uintptr_t)last->user + last->size - ls.large_lo;
	}
	uintptr_t elo = UINTPTR_MAX, ehi = 0;
	const uintptr_t base[3] = {ls.heap_lo, ls.guard_lo, ls.large_lo};
	const uintptr_t span[3] = {ls.heap_span, ls.guard_span, ls.large_span};
	for (int i = 0; i < 3; i++) {
		if (!span[i])
			continue;
		if (base[i] < elo)
			elo = base[i];
		if (base[i] + span[i] > ehi)
			ehi = base[i] + span[i];
	}
	ls.env_lo = elo;
	ls.env_span = ehi > elo ? ehi - elo : 0;
}

static inline int maybe_block(uintptr_t p)
{
	return p - ls.heap_lo < ls.heap_span || p - ls.guard_lo < ls.guard_span || p - ls.large_lo < ls.large_span;
}

/* A live heap or guarded block found for p: is p inside its requested bytes? */
static int found(uintptr_t p, enum hs_find f, const struct hs_block *b, struct item *out, int *start_ptr)
{
	if ((f != HS_FIND_START && f != HS_FIND_INTERIOR) || b->meta->state != HS_STATE_LIVE)
		return 0;
	size_t off = p - (uintptr_t)b->start;
	if (off && off >= b->size)
		return 0; /* in the slot's slack, not the block */
	out->start = b->start;
	out->size = b->size;
	out->meta = b->meta;
	*start_ptr = off == 0;
	return 1;
}

/* The live block p points into, or 0. *start_ptr says whether p is its start. */
static int lookup(uintptr_t p, struct item *out, int *start_ptr)
{
	struct hs_block b;
	if (p - ls.heap_lo < ls.heap_span)
		return found(p, hs_block_find_heap((void *)p, &b), &b, out, start_ptr);
	if (p - ls.guard_lo < ls.guard_span)
		return found(p, hs_block_find_guard((void *)p, &b), &b, out, start_ptr);
	if (p - ls.large_lo >= ls.large_span)
		return 0;
	size_t lo = 0, hi = ls.nlarge;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if ((uintptr_t)ls.large[mid]->user <= p)
			lo = mid;
		else
			hi = mid;
	}
	struct hs_large *e = ls.large[lo];
	size_t off = p - (uintptr_t)e->user;
	if (off && off >= e->size)
		return 0;
	out->start = e->user;
	out->size = e->size;
	out->meta = &e->meta;
	*start_ptr = off == 0;
	return 1;
}

static void collect_guard(struct hs_guard_slot *s, void *ctx)
{
	(void)ctx;
	if (ls.nguard < ls.guard_cap)
		ls.guard[ls.nguard++] = s;
}

/* Detect mode: a live block whose canary is broken overflowed and was
 * never freed; it is reported after the threads resume. */
static void check_canary(struct item *it)
{
	if (!hs_detect_active || ls.nbroken == 64)
		return;
	struct hs_block b = {.start = it->start, .size = it->size, .usable = it->usable, .meta = it->meta,
			     .kind = HS_BLOCK_SLAB};
	long off = hs_block_broken_canary(&b);
	if (off >= 0) {
		ls.broken[ls.nbroken] = b;
		ls.broken_at[ls.nbroken++] = off;
	}
}

static void reset_mark(struct item *it, void *ctx)
{
	(void)ctx;
	ls.live_blocks++;
	check_canary(it);
	it->meta->mark = M_UNREACHED;
	/* The C library's and the loader's own blocks are roots (see top). */
	int n;
	const uintptr_t *f = hs_stack_get(it->meta->alloc_stack, &n);
	if (it->meta->alloc_stack == 0 || (n > 0 && f[0] >= ls.ld_lo && f[0] < ls.ld_hi)) {
		it->meta->mark = M_REACHABLE;
		vec_push(&ls.work, it);
	}
}

/* ---- interior pointers held by design ---------------------------------- */

/* Where vtables and code can be: the loadable segments of the loaded
 * objects (collect_module, `seg`), sorted by address. Not any file mapping of
 * /proc/self/maps: one past its file's end (a truncated file) raises
 * SIGBUS when read, a device's or a FUSE file's may block, and neither
 * holds a vtable. */
static const struct segment *segment_at(uintptr_t a)
{
	size_t lo = 0, hi = ls.nseg;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a < seg[mid].lo)
			hi = mid;
		else if (a >= seg[mid].hi)
			lo = mid + 1;
		else
			return &seg[mid];
	}
	return NULL;
}

/* Shell sort: dl_iterate_phdr lists the objects by falling address, the
 * worst order for a plain insertion sort (and qsort may allocate). */
static void sort_segments(void)
{
	static const size_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
	for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++)
		for (size_t i = gaps[g]; i < ls.nseg; i++) {
			struct segment t = seg[i];
			size_t j = i;
			for (; j >= gaps[g] && seg[j - gaps[g]].lo > t.lo; j -= gaps[g])
				seg[j] = seg[j - gaps[g]];
			seg[j] = t;
		}
	uintptr_t hi = 0;
	for (size_t i = 0; i < ls.nseg; i++)
		hi = seg[i].hi > hi ? seg[i].hi : hi;
	ls.seg_lo = ls.nseg ? seg[0].lo : 0;
	ls.seg_span = ls.nseg ? hi - ls.seg_lo : 0;
}

/* Where no vtable can be: cheap tests first, for the interior pointers a
 * program keeps by the hundred thousand (perl's into its SV bodies), whose
 * words are mostly heap addresses and small numbers. */
static int maybe_vtable(uintptr_t v)
{
	return !(v & 7) && v >= 4096 && v - ls.seg_lo < ls.seg_span && !maybe_block(v);
}

/* The heuristics read the block pointed into and what its words point to,
 * under a jump buffer of their own (see scan_fault): a page a program made
 * inaccessible in its block, an object unloaded since collect_module or a
 * segment of a file truncated on disk answers "no", without ending the
 * scan or dropping the rest of the root or block being scanned. */
static sigjmp_buf probe_jmp;
static volatile sig_atomic_t probing;

/* r = expr, read under the probe; 0 if it faulted (scan_fault cleared
 * probing and jumped back here). A macro: sigsetjmp must be in the frame
 * that stays live while expr runs. */
#define PROBED(r, expr)                            \
	do {                                       \
		if (sigsetjmp(probe_jmp, 0)) {     \
			(r) = 0;                   \
		} else {                           \
			probing = 1;               \
			(r) = (expr);              \
			probing = 0;               \
		}                                  \
	} while (0)

/* Does the word-aligned v look like a C++ vtable: in a loaded object's
 * readable segment, its first two non-null entries (of at most
 * VTABLE_WORDS) addresses of code? (A vtable may share its segment with
 * code: rodata and text in one segment, as some linkers and targets
 * have them.) Reads v's words: called with probing set. */
#define VTABLE_WORDS 20
__attribute__((no_sanitize("address"))) static int vtable_words(uintptr_t v)
{
	const struct segment *s = segment_at(v);
	if (!s || !s->read)
		return 0;
	int fns = 0;
	for (uintptr_t a = v; a + 8 <= s->hi && a < v + VTABLE_WORDS * 8; a += 8) {
		uintptr_t fn = *(const uintptr_t *)a;
		if (!fn)
			continue;
		const struct segment *t = segment_at(fn);
		if (!t || !t->exec)
			return 0;
		if (++fns == 2)
			return 1;
	}
	return 0;
}

/* vtable_words under the probe's jump buffer of its own. */
static int vtable_probed(uintptr_t v)
{
	int r;
	PROBED(r, vtable_words(v));
	return r;
}

/* Valgrind's leak heuristics (its default --leak-check-heuristics=all):
 * interior pointers that C++ runtimes and length-prefixed allocators keep
 * by design count as pointers to the block's start, so what they hold is
 * reachable, not "possibly lost".
 *   - a count or length word first, the pointer just after it: new[] of
 *     objects with destructors (the count divides the rest of the block),
 *     and allocators that store the length (sqlite3's own malloc);
 *   - the pre-C++11 std::string: length, capacity, refcount, then the
 *     characters the pointer points to (24 + capacity + 1 == size);
 *   - a base class of a multiply-inherited object: the pointed-to word
 *     and the block's first word both vtables (is_vtable: vtable_words,
 *     or vtable_probed when the caller is not probing). */
__attribute__((noinline, no_sanitize("address"))) static int by_design(uintptr_t p, const struct item *it,
									int (*is_vtable)(uintptr_t))
{
	const uintptr_t *w = (const uintptr_t *)(void *)it->start;
	size_t off = p - (uintptr_t)it->start;
	if (off == 8 && w[0] && (it->size - 8) % w[0] == 0)
		return 1;
	if (off == 24 && 24 + w[1] + 1 == it->size && w[0] <= w[1])
		return 1;
	if ((off & 7) || off + 8 > it->size)
		return 0;
	uintptr_t inner = *(const uintptr_t *)p;
	return maybe_vtable(inner) && maybe_vtable(w[0]) && is_vtable(inner) && is_vtable(w[0]);
}

/* A block smaller than a page shares its pages with other blocks: no
 * program makes it inaccessible alone, and its words are read directly
 * (perl keeps hundreds of thousands of interior pointers into such
 * blocks; a jump buffer set for each cost its scan 15 %). A larger one
 * may have a page made inaccessible (a coroutine stack's guard page): it
 * is read under the probe. */
static int interior_by_design(uintptr_t p, const struct item *it)
{
	if (it->size < HS_PAGE_SIZE)
		return by_design(p, it, vtable_probed);
	int r;
	PROBED(r, by_design(p, it, vtable_words));
	return r;
}

/* ---- marking ------------------------------------------------------------ */

/* Is what is being scanned definitely reachable: a root, or a block that a
 * chain of start pointers leads to from one? Only then does a start
 * pointer found in it make a block REACHABLE; through an interior pointer
 * anywhere on the way a block is only POSSIBLE (valgrind's cases 5 to 8:
 * a root -?-> A ---> B leaves B possibly lost, not reachable). A POSSIBLE
 * block found again from a definite one is upgraded and scanned again, so
 * a block is scanned at most twice. */
static int scanning_definite;

static void mark_word(uintptr_t w)
{
	struct item it;
	int start;
	if (!lookup(w, &it, &start))
		return;
	if (!start)
		start = interior_by_design(w, &it);
	unsigned want = start && scanning_definite ? M_REACHABLE : M_POSSIBLE;
	if (it.meta->mark < want) {
		it.meta->mark = want & 0xf;
		vec_push(&ls.work, &it);
	}
}

/* Reads any word of a root or block, whatever a sanitizer thinks of it
 * (the unit tests run this file under ASan). */
__attribute__((no_sanitize("address"))) static void scan_words(uintptr_t lo, uintptr_t hi, void (*fn)(uintptr_t))
{
	const uintptr_t *a = (const uintptr_t *)((lo + 7) & ~(uintptr_t)7);
	const uintptr_t *end = (const uintptr_t *)(hi & ~(uintptr_t)7);
	const uintptr_t env_lo = ls.env_lo, env_span = ls.env_span;
	for (; a + 4 <= end; a += 4) {
		uintptr_t w0 = a[0], w1 = a[1], w2 = a[2], w3 = a[3];
		if (__builtin_expect((w0 - env_lo < env_span) | (w1 - env_lo < env_span) | (w2 - env_lo < env_span) |
				     (w3 - env_lo < env_span), 0)) {
			if (maybe_block(w0))
				fn(w0);
			if (maybe_block(w1))
				fn(w1);
			if (maybe_block(w2))
				fn(w2);
			if (maybe_block(w3))
				fn(w3);
		}
	}
	for (; a < end; a++)
		if (maybe_block(*a))
			fn(*a);
}

/* A page neither present nor swapped out has never been written: it reads
 * as zeros or as the file's bytes, and neither can hold the address of a
 * block. Reading it would only fault it in (a zero page mapped for each:
 * a third of the scan's time in a short process like git's, whose large
 * buffers and bss are mostly untouched). /proc/self/pagemap says which
 * pages those are (pagescan.c); without it every page is read. */
static struct hs_pagescan pages_with_data = {.fd = -1};

struct scan_ctx {
	uintptr_t lo, hi;
	void (*fn)(uintptr_t);
};

static void scan_run(uintptr_t a, uintptr_t b, void *ctx)
{
	const struct scan_ctx *c = ctx;
	scan_words(a > c->lo ? a : c->lo, b < c->hi ? b : c->hi, c->fn);
}

static void scan_range(uintptr_t lo, uintptr_t hi, void (*fn)(uintptr_t))
{
	if (hi - lo < 4 * HS_PAGE_SIZE) {
		scan_words(lo, hi, fn);
		return;
	}
	struct scan_ctx c = {lo, hi, fn};
	uintptr_t done = hs_pagescan_each(&pages_with_data, lo, hi, HS_PAGES_WITH_DATA, scan_run, &c);
	if (done < hi) /* pagemap did not answer (for) the rest: read it all */
		scan_words(done > lo ? done : lo, hi, fn);
}

/* A root may stop being readable between /proc/self/maps and the scan (or
 * be a mapping no one can read): such a fault during the scan skips the
 * range instead of reaching the program's handler or killing it. Only the
 * scanning thread runs meanwhile, so swapping the handlers is safe. */
static sigjmp_buf scan_jmp;
static volatile sig_atomic_t scanning;
static struct sigaction saved_segv, saved_bus;

/* Installed with SA_NODEFER and an empty sa_mask: the signal mask is the
 * same in here as where the scan was, so the jump back need not restore it
 * (and sigsetjmp need not save it: a sigprocmask call per root). */
static void scan_fault(int sig, siginfo_t *si, void *ctx)
{
	(void)si;
	(void)ctx;
	if (probing) {
		probing = 0;
		siglongjmp(probe_jmp, 1);
	}
	if (scanning) {
		scanning = 0;
		siglongjmp(scan_jmp, 1);
	}
	/* not ours: the default action, the fault happens again and kills */
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	hs_sigaction_raw(sig, &dfl, NULL);
}


static void protect_scan(int on)
{
	if (on) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = scan_fault;
		sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
		sigemptyset(&sa.sa_mask);
		hs_sigaction_raw(SIGSEGV, &sa, &saved_segv);
		hs_sigaction_raw(SIGBUS, &sa, &saved_bus);
	} else {
		hs_sigaction_raw(SIGSEGV, &saved_segv, NULL);
		hs_sigaction_raw(SIGBUS, &saved_bus, NULL);
	}
}

static void drain(void (*fn)(uintptr_t))
{
	while (ls.work.n) {
		struct item it = ((struct item *)ls.work.p)[--ls.work.n];
		scanning_definite = it.meta->mark == M_REACHABLE;
		scan_range((uintptr_t)it.start, (uintptr_t)it.start + it.size, fn);
	}
}

static const char *internal_debug(uintptr_t lo, uintptr_t hi)
{
	if (hs_pages_is_internal(lo, hi))
		return " (heapscope's)\n";
	if (hs_guard_contains((void *)lo))
		return " (guard pool)\n";
	return "\n";
}

static void debug_line(const char *line, size_t len, void *ctx)
{
	const struct range *r = ctx;
	struct hs_mapping m;
	if (hs_mapping_parse(line, len, &m) == 0 && m.lo < r->hi && r->lo < m.hi) {
		struct hs_out o;
		hs_out_init(&o, hs_err_fd);
		hs_out_str(&o, "heapscope:   now: ");
		hs_out_mem(&o, line, len);
		hs_out_str(&o, internal_debug(m.lo, m.hi));
		hs_out_flush(&o);
	}
}

/* Follow the work list to its end. A block that cannot be read (a program
 * may make memory it allocated inaccessible) faults: the rest of it is
 * skipped, the other blocks are still followed. */
static void drain_protected(void (*fn)(uintptr_t))
{
	while (ls.work.n) {
		if (sigsetjmp(scan_jmp, 0) == 0) {
			scanning = 1;
			drain(fn);
			scanning = 0;
		}
	}
}

/* Scan one root range and what it reaches; a fault skips the rest of the
 * range (the blocks already queued are still followed). */
static void scan_root(const struct range *r)
{
	if (sigsetjmp(scan_jmp, 0) == 0) {
		scanning = 1;
		scanning_definite = 1;
		scan_range(r->lo, r->hi, mark_word);
		scanning = 0;
	} else if (hs_opt.verbosity >= 2) {
		struct hs_out o;
		hs_out_init(&o, hs_err_fd);
		hs_out_str(&o, "heapscope: leak scan: root ");
		hs_out_hex(&o, r->lo);
		hs_out_str(&o, "-");
		hs_out_hex(&o, r->hi);
		hs_out_str(&o, " could not be read; skipped\n");
		hs_out_flush(&o);
		hs_proc_each_line("/proc/self/maps", debug_line, (void *)r);
	}
	drain_protected(mark_word);
}

static hs_meta_t *leader;

static void clique_word(uintptr_t w)
{
	struct item it;
	int start;
	if (!lookup(w, &it, &start) || it.meta == leader)
		return;
	if (it.meta->mark == M_UNREACHED) {
		it.meta->mark = M_INDIRECT;
		vec_push(&ls.work, &it);
	} else if (it.meta->mark == M_DEFINITE) {
		it.meta->mark = M_INDIRECT; /* an earlier leader, reached from here */
	}
}

static void lead_clique(struct item *it, void *ctx)
{
	(void)ctx;
	if (it->meta->mark != M_UNREACHED)
		return;
	leader = it->meta;
	vec_push(&ls.work, it);
	drain_protected(clique_word);
	it->meta->mark = M_DEFINITE;
}

/* ---- tally ---------------------------------------------------------------- */

/* The groups: open addressing on key, at most half full, grown by doubling.
 * Sized by the groups found, not the blocks: one group per (stack, call,
 * kind) holds most blocks, and a table sized for every block (24 bytes
 * twice over per block) touched ~50 fresh pages in the exit of each of
 * bash's subshells (a fork child inherits the whole heap). */
static struct group *groups;
static size_t group_cap, ngroups;
#define GROUPS_FIRST 512 /* 12 KiB */

static const uint8_t kind_of[5] = {
	[M_INDIRECT] = HS_LEAK_INDIRECT, [M_DEFINITE] = HS_LEAK_DEFINITE,
	[M_POSSIBLE] = HS_LEAK_POSSIBLE, [M_REACHABLE] = HS_LEAK_REACHABLE,
};

static struct group *group_slot(struct group *t, size_t cap, uint64_t key)
{
	size_t i = (size_t)(key * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
	while (t[i].key && t[i].key != key)
		i = (i + 1) & (cap - 1);
	return &t[i];
}

/* Twice the room; 0 if no memory (the table then fills up to its last
 * slot before a group is dropped). */
static int grow_groups(void)
{
	size_t ncap = group_cap * 2;
	struct group *t = hs_pages_map_internal(ncap * sizeof *t, HS_PAGES_LAZY);
	if (!t)
		return 0;
	for (size_t i = 0; i < group_cap; i++)
		if (groups[i].key)
			*group_slot(t, ncap, groups[i].key) = groups[i];
	hs_pages_unmap_internal(groups, group_cap * sizeof *groups);
	groups = t;
	group_cap = ncap;
	return 1;
}

static void tally(struct item *it, void *ctx)
{
	uint64_t *lost = ctx;
	unsigned kind = kind_of[it->meta->mark];
	if (kind == HS_LEAK_DEFINITE || kind == HS_LEAK_INDIRECT)
		(*lost)++;
	uint64_t key = (((uint64_t)it->meta->alloc_stack << 8) | (uint64_t)(it->meta->api & 31) << 3 | kind) + 1;
	struct group *g = group_slot(groups, group_cap, key);
	if (!g->key) {
		if ((ngroups + 1) * 2 > group_cap && grow_groups())
			g = group_slot(groups, group_cap, key);
		if (ngroups + 1 >= group_cap)
			return; /* no memory to grow, and one empty slot must stay */
		g->key = key;
		ngroups++;
	}
	g->blocks++;
	g->bytes += it->size;
	it->meta->mark = 0;
}

static int cmp_large(const void *a, const void *b)
{
	const struct hs_large *x = *(struct hs_large *const *)a, *y = *(struct hs_large *const *)b;
	return x->user < y->user ? -1 : x->user > y->user;
}

static void sort_large(void)
{
	/* insertion sort: large blocks are few */
	for (size_t i = 1; i < ls.nlarge; i++)
		for (size_t k = i; k > 0 && cmp_large(&ls.large[k - 1], &ls.large[k]) > 0; k--) {
			struct hs_large *t = ls.large[k];
			ls.large[k] = ls.large[k - 1];
			ls.large[k - 1] = t;
		}
}

static void write_record(unsigned trigger, int nthreads, int unscanned)
{
	size_t cap = 64 + ngroups * 5 * HS_VARINT_MAX;
	uint8_t *buf = hs_pages_map_internal(cap, HS_PAGES_LAZY);
	if (!buf)
		return;
	for (size_t i = 0; i < group_cap; i++)
		if (groups[i].key)
			hs_stack_mention((uint32_t)((groups[i].key - 1) >> 8));
	size_t k = 0;
	k += hs_put_varint(buf + k, trigger);
	k += hs_put_varint(buf + k, ls.live_blocks);
	k += hs_put_varint(buf + k, (uint64_t)nthreads);
	k += hs_put_varint(buf + k, (uint64_t)unscanned);
	k += hs_put_varint(buf + k, ngroups);
	for (size_t i = 0; i < group_cap; i++) {
		if (!groups[i].key)
			continue;
		uint64_t key = groups[i].key - 1;
		k += hs_put_varint(buf + k, key & 7);
		k += hs_put_varint(buf + k, key >> 8);
		k += hs_put_varint(buf + k, (key >> 3) & 31);
		k += hs_put_varint(buf + k, groups[i].blocks);
		k += hs_put_varint(buf + k, groups[i].bytes);
	}
	hs_trace_record(HS_REC_LEAKS, buf, k);
	hs_pages_unmap_internal(buf, cap);
}

static hs_lock_t scan_lock;

static void free_buffers(size_t tcap);

int hs_leak_check(unsigned trigger, const struct hs_maps *maps)
{
	if (!hs_rec_active)
		return -1;
	hs_lock(&scan_lock);
	memset(&ls, 0, sizeof ls);
	ls.roots.elem = sizeof(struct range);
	ls.work.elem = sizeof(struct item);
	if (maps) {
		ls.maps = maps;
	} else {
		ls.maps = &ls.own_maps;
		if (hs_maps_read(&ls.own_maps) != 0)
			ls.own_maps.n = 0;
	}
	dl_iterate_phdr(collect_module, NULL);
	uintptr_t tp = (uintptr_t)__builtin_thread_pointer();
	struct range m;
	if (mapping_of(tp, &m) == 0) /* the thread control block (its DTV pointer) */
		add_root(tp, tp + 4096 < m.hi ? tp + 4096 : m.hi);
	ls.large_cap = hs_large_count_unlocked() + 1024;
	ls.large = hs_pages_map_internal(ls.large_cap * sizeof *ls.large, HS_PAGES_LAZY);
	ls.guard_cap = 1u << 20;
	ls.guard = hs_pages_map_internal(ls.guard_cap * sizeof *ls.guard, HS_PAGES_LAZY);
	size_t tcap = HS_MAX_THREADS * sizeof(struct hs_thread_state);
	ls.threads = hs_pages_map_internal(tcap, HS_PAGES_LAZY);

	int nthreads = ls.threads ? hs_world_stop(ls.threads, HS_MAX_THREADS) : 0;
	int unscanned = 0;
	for (int i = 0; i < nthreads; i++) {
		struct hs_thread_state *t = &ls.threads[i];
		if (t->tid <= 0)
			continue;
		if (t->stopped)
			add_root((uintptr_t)t->regs, (uintptr_t)(t->regs + HS_NREGS));
		if (t->sp && mapping_of(t->sp, &m) == 0)
			add_root(t->sp - 128 > m.lo ? t->sp - 128 : m.lo, m.hi);
		else
			unscanned++;
	}
	/* This thread: callee-saved registers spilled into jb, then its stack. */
	jmp_buf jb;
	/* setjmp leaves the signal-mask part of jb alone: clear it, or old
	 * stack words there would be scanned as roots */
	memset(&jb, 0, sizeof jb);
	setjmp(jb);
	uintptr_t sp = (uintptr_t)&jb;
	if (mapping_of(sp, &m) == 0)
		add_root(sp, m.hi);

	ls.top = hs_buddy_top();
	ls.nlarge = ls.large ? hs_large_collect_unlocked(ls.large, ls.large_cap) : 0;
	sort_large();
	set_spans();
	sort_segments();
	if (ls.guard)
		hs_guard_each_live(collect_guard, NULL); /* slot order is address order */
	ls.nthreads = nthreads;
	add_anonymous_roots(sp, tp);
	each_live(reset_mark, NULL);
	hs_pagescan_open(&pages_with_data, 0);
	protect_scan(1);
	drain_protected(mark_word); /* the loader's and the C library's blocks (reset_mark) */
	for (size_t i = 0; i < ls.roots.n; i++)
		scan_root(&((struct range *)ls.roots.p)[i]);
	each_live(lead_clique, NULL);
	protect_scan(0);
	hs_pagescan_close(&pages_with_data);

	group_cap = GROUPS_FIRST;
	groups = hs_pages_map_internal(group_cap * sizeof *groups, HS_PAGES_LAZY);
	ngroups = 0;
	uint64_t lost = 0;
	if (groups)
		each_live(tally, &lost);
	if (nthreads)
		hs_world_resume();

	for (unsigned i = 0; i < ls.nbroken; i++)
		hs_report_canary(&ls.broken[i], (size_t)ls.broken_at[i], HS_DETECTED_AT_EXIT, 0);
	if (groups)
		write_record(trigger, nthreads, unscanned);
	/* At exit the process's end frees the scan's buffers: seven munmaps
	 * were a sixth of the scan's time in a short process (git's). */
	if (trigger != HS_LEAKCHECK_EXIT)
		free_buffers(tcap);
	groups = NULL;
	hs_unlock(&scan_lock);
	return (int)lost;
}

static void free_buffers(size_t tcap)
{
	if (groups)
		hs_pages_unmap_internal(groups, group_cap * sizeof *groups);
	vec_free(&ls.roots);
	vec_free(&ls.work);
	if (ls.large)
		hs_pages_unmap_internal(ls.large, ls.large_cap * sizeof *ls.large);
	if (ls.threads)
		hs_pages_unmap_internal(ls.threads, tcap);
	if (ls.guard)
		hs_pages_unmap_internal(ls.guard, ls.guard_cap * sizeof *ls.guard);
	hs_maps_free(&ls.own_maps);
}

HS_EXPORT int __heapscope_check_leaks(void)
{
	return hs_leak_check(HS_LEAKCHECK_ON_DEMAND, NULL);
}

void hs_leak_after_fork_child(void)
{
	hs_lock_reset(&scan_lock);
}
