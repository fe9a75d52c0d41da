/* stackdepot.c — the stack depot: hash of the frames → id, each stack
 * stored once in heapscope's own memory (the idea of the kernel's stackdepot).
 *
 * Lookups are lock-free: an open-addressing table of (hash, entry) slots,
 * the entry pointer read with an acquire load; inserts take `lock`, write a
 * slot's hash before its pointer (release), and never change a slot again.
 * The hash sits in the slot so that a probe past a colliding slot costs no
 * cache miss on the entry (profiles showed it on compilers' deep stacks). A full table is replaced by one
 * twice as large; the old one is never freed, so a lookup racing the resize
 * still reads valid memory (at most it misses and retries under the lock).
 * Entries are also indexed by id (a two-level array) for hs_stack_get.
 *
 * Every id an event or record names is defined earlier in the same trace.
 * In the process that interned it, that is the STACK record written at
 * interning. A fork child starts a trace of its own but inherits the whole
 * depot: it defines an inherited stack when it first names it (a shell's
 * child that only execs names two or three of the shell's hundreds).
 */
#include "stackdepot.h"

#include <string.h>

#include <heapscope/trace_format.h>

#include "arena.h"
#include "lock.h"
#include "pages.h"
#include "trace_writer.h"

/* An interned stack. Immutable once published, but for `traced`: the
 * depot's `gen` when its definition was last written to the trace (written
 * under the lock, read without it). */
struct entry {
	uint32_t id;
	uint32_t n;
	uint32_t traced;
	uintptr_t frames[];
};

/* A hash table generation; published as one pointer so that a reader
 * always sees a slot array together with its own capacity. */
struct slot {
	uint64_t hash; /* valid once e is non-null */
	struct entry *e;
};

struct table {
	uint32_t cap;
	struct slot slot[];
};

#define ID_PAGE 4096 /* ids per second-level page */
#define ID_PAGES 4096 /* 16 M stacks at most */

static struct {
	hs_lock_t lock;
	struct table *table; /* published with a release store */
	uint32_t count;
	uint64_t epoch;
	uint32_t gen;			     /* the trace's generation: one more in each fork child */
	struct entry *recent[4];	     /* the last stacks defined in this trace, newest first */
	struct entry **by_id[ID_PAGES];
	char *bump, *bump_end; /* where the next entry is carved (entry_alloc) */
	char *backed;	       /* below it the chunk is populated (or left to fault): bump <= backed <= bump_end */
	size_t carved;	       /* bytes of entries so far */
} dep;

int hs_stack_inherited;

static inline uint64_t mix(uint64_t h, uintptr_t v)
{
	h = (h ^ v) * 0xff51afd7ed558ccdull;
	return h ^ (h >> 29);
}

static inline uint64_t rotl(uint64_t x, unsigned r)
{
	return x << r | x >> (64 - r);
}

/* Four lanes, frames taken round-robin: one multiply chain through a
 * compiler's 25 frames was 2 % of its recording time. */
static uint64_t hash_frames(const uintptr_t *f, int n, uint64_t seed)
{
	uint64_t a = 0x9E3779B97F4A7C15ull ^ seed ^ (uint64_t)n, b = a + 1, c = a + 2, d = a + 3;
	int i = 0;
	for (; i + 4 <= n; i += 4) {
		a = mix(a, f[i]);
		b = mix(b, f[i + 1]);
		c = mix(c, f[i + 2]);
		d = mix(d, f[i + 3]);
	}
	for (; i < n; i++)
		a = mix(a, f[i]);
	uint64_t h = mix(a ^ rotl(b, 16) ^ rotl(c, 32) ^ rotl(d, 48), (uintptr_t)n);
	return h | 1; /* never 0 */
}

static struct entry *lookup(struct table *t, uint64_t h, const uintptr_t *f, int n)
{
	if (!t)
		return NULL;
	uint32_t mask = t->cap - 1;
	for (uint32_t i = (uint32_t)h & mask;; i = (i + 1) & mask) {
		struct entry *e = __atomic_load_n(&t->slot[i].e, __ATOMIC_ACQUIRE);
		if (!e)
			return NULL;
		if (t->slot[i].hash == h && e->n == (uint32_t)n && !memcmp(e->frames, f, (size_t)n * sizeof *f))
			return e;
	}
}

/* Entries are never freed: they are carved, packed, from chunks of their
 * own. (The arena rounds up to a power of two: a 32-frame stack's 272
 * bytes took 512, and a compiler's depot touched twice the pages it
 * needed, each a page fault.) The chunk is backed ahead of the carving in
 * one call per step instead of a fault per page (1.4 against 2 µs a page
 * on the machine measured; cc1 interns 2.6 MB of stacks), the step as
 * large as what was carved so far, from 8 to 64 KiB: a short process that
 * interns a few stacks backs no more than it would have faulted in.
 * Called with the lock held. */
#define ENTRY_CHUNK ((size_t)1 << 20)
#define POPULATE_MIN ((size_t)8 << 10)
#define POPULATE_MAX ((size_t)64 << 10)
static struct entry *entry_alloc(size_t size)
{
	size = (size + 7) & ~(size_t)7;
	if ((size_t)(dep.bump_end - dep.bump) < size) {
		size_t chunk = size > ENTRY_CHUNK ? size : ENTRY_CHUNK;
		char *p = hs_pages_map_internal(chunk, HS_PAGES_LAZY);
		if (!p)
			return NULL;
		dep.bump = dep.backed = p;
		dep.bump_end = p + chunk;
	}
	if (dep.bump + size > dep.backed) {
		/* an entry (at most 528 bytes) fits in a step */
		size_t step = dep.carved < POPULATE_MIN ? POPULATE_MIN : dep.carved;
		if (step > POPULATE_MAX)
			step = POPULATE_MAX;
		step = (step + 4095) & ~(size_t)4095;
		size_t left = (size_t)(dep.bump_end - dep.backed);
		if (step > left)
			step = left;
		if (hs_pages_populate(dep.backed, step) == 0)
			dep.backed += step;
		else
			dep.backed = dep.bump_end; /* not supported: the pages fault in */
	}
	struct entry *e = (struct entry *)(void *)dep.bump;
	dep.bump += size;
	dep.carved += size;
	return e;
}

static int grow_locked(void)
{
	uint32_t ocap = dep.table ? dep.table->cap : 0;
	uint32_t ncap = ocap ? ocap * 2 : 256; /* a page: a short process needs no more */
	/* populated: a lookup reads a page before an insert writes it */
	struct table *nt = hs_pages_map_internal(sizeof *nt + ncap * sizeof nt->slot[0], HS_PAGES_POPULATE);
	if (!nt)
		return -1;
	nt->cap = ncap;
	for (uint32_t i = 0; i < ocap; i++) {
		struct slot s = dep.table->slot[i];
		if (!s.e)
			continue;
		uint32_t j = (uint32_t)s.hash & (ncap - 1);
		while (nt->slot[j].e)
			j = (j + 1) & (ncap - 1);
		nt->slot[j] = s;
	}
	__atomic_store_n(&dep.table, nt, __ATOMIC_RELEASE);
	return 0;
}

/* Frames at the outer end that e and r share. */
static uint32_t shared_outer(const struct entry *e, const struct entry *r)
{
	uint32_t k = 0;
	while (k < e->n && k < r->n && e->frames[e->n - 1 - k] == r->frames[r->n - 1 - k])
		k++;
	return k;
}

/* Stacks of one program share their outer frames (main, the event loop,
 * the pass): a stack is written as its own inner frames plus "the last
 * `keep` frames of stack `ref`", ref the one among the REF_WINDOW stacks
 * defined last in this trace that shares the most. The first new frame is
 * a delta from ref's first frame (same code, often the same function), the
 * others from the frame before. Halves the stacks' share of a compiler's
 * trace. A window of 4 gets within 1 % of 16's size on cc1 for a quarter of
 * the compares. */
#define REF_WINDOW 4
_Static_assert(REF_WINDOW == sizeof dep.recent / sizeof dep.recent[0], "one slot per candidate");
static int trace_stack(struct entry *e, int wait)
{
	const struct entry *ref = NULL;
	uint32_t keep = 0;
	for (int back = 0; back < REF_WINDOW && dep.recent[back]; back++) {
		const struct entry *r = dep.recent[back];
		uint32_t k = shared_outer(e, r);
		if (k > keep) {
			keep = k;
			ref = r;
		}
	}
	if (keep == e->n && keep > 0) /* a suffix of ref: keep one frame to write */
		keep--;
	uint8_t buf[16 + 64 * HS_VARINT_MAX];
	size_t k = 0;
	k += hs_put_varint(buf + k, e->id);
	if (keep >= 2) {
		k += hs_put_varint(buf + k, ref->id);
		k += hs_put_varint(buf + k, keep);
	}
	uint32_t n = keep >= 2 ? e->n - keep : e->n;
	k += hs_put_varint(buf + k, n);
	uintptr_t prev = keep >= 2 ? ref->frames[0] : 0;
	for (uint32_t i = 0; i < n; i++) {
		k += hs_put_varint(buf + k, i || keep >= 2 ? hs_zigzag((int64_t)(e->frames[i] - prev)) : e->frames[i]);
		prev = e->frames[i];
	}
	if (!hs_trace_stack(keep >= 2, buf, k, wait))
		return 0;
	memmove(dep.recent + 1, dep.recent, (REF_WINDOW - 1) * sizeof dep.recent[0]);
	dep.recent[0] = e;
	__atomic_store_n(&e->traced, dep.gen, __ATOMIC_RELEASE);
	return 1;
}

uint32_t hs_stack_find(const uintptr_t *f, int n)
{
	uint64_t h = hash_frames(f, n, __atomic_load_n(&dep.epoch, __ATOMIC_RELAXED));
	struct entry *e = lookup(__atomic_load_n(&dep.table, __ATOMIC_ACQUIRE), h, f, n);
	return e ? e->id : 0;
}

uint32_t hs_stack_intern(const uintptr_t *f, int n)
{
	/* callers have looked without the lock (hs_stack_find): look again
	 * under it, another thread may have added the stack meanwhile */
	uint64_t h = hash_frames(f, n, __atomic_load_n(&dep.epoch, __ATOMIC_RELAXED));
	struct entry *e;
	hs_lock(&dep.lock);
	e = lookup(dep.table, h, f, n);
	if (e) {
		hs_unlock(&dep.lock);
		return e->id;
	}
	uint32_t id = dep.count + 1;
	if ((!dep.table || (dep.count + 1) * 4 > dep.table->cap * 3) && grow_locked() != 0)
		goto fail;
	if (id / ID_PAGE >= ID_PAGES)
		goto fail;
	if (!dep.by_id[id / ID_PAGE] &&
	    !(dep.by_id[id / ID_PAGE] = hs_arena_alloc(ID_PAGE * sizeof(struct entry *))))
		goto fail;
	e = entry_alloc(sizeof *e + (size_t)n * sizeof *f);
	if (!e)
		goto fail;
	e->id = id;
	e->n = (uint32_t)n;
	memcpy(e->frames, f, (size_t)n * sizeof *f);
	/* Define before publishing (see stackdepot.h). */
	trace_stack(e, 1);
	dep.by_id[id / ID_PAGE][id % ID_PAGE] = e;
	uint32_t mask = dep.table->cap - 1, i = (uint32_t)h & mask;
	while (dep.table->slot[i].e)
		i = (i + 1) & mask;
	dep.table->slot[i].hash = h;
	__atomic_store_n(&dep.table->slot[i].e, e, __ATOMIC_RELEASE);
	__atomic_store_n(&dep.count, id, __ATOMIC_RELEASE);
	hs_unlock(&dep.lock);
	return id;
fail:
	hs_unlock(&dep.lock);
	return 0;
}

const uintptr_t *hs_stack_get(uint32_t id, int *n)
{
	*n = 0;
	if (id == 0 || id > __atomic_load_n(&dep.count, __ATOMIC_ACQUIRE))
		return NULL;
	struct entry *e = dep.by_id[id / ID_PAGE][id % ID_PAGE];
	*n = (int)e->n;
	return e->frames;
}

uint32_t hs_stack_count(void)
{
	return __atomic_load_n(&dep.count, __ATOMIC_ACQUIRE);
}

/* The entry of id if this trace has not defined it yet, else NULL. */
static struct entry *undefined_here(uint32_t id)
{
	if (id == 0 || id > __atomic_load_n(&dep.count, __ATOMIC_ACQUIRE))
		return NULL;
	struct entry *e = dep.by_id[id / ID_PAGE][id % ID_PAGE];
	return __atomic_load_n(&e->traced, __ATOMIC_ACQUIRE) == dep.gen ? NULL : e;
}

/* Define e in this trace (the depot's lock held), unless done meanwhile. */
static int define_locked(struct entry *e, int wait)
{
	return e->traced == dep.gen || trace_stack(e, wait);
}

void hs_stack_define_inherited(uint32_t id)
{
	struct entry *e = undefined_here(id);
	if (!e)
		return;
	hs_lock(&dep.lock);
	define_locked(e, 1);
	hs_unlock(&dep.lock);
}

int hs_stack_define_inherited_nowait(uint32_t id)
{
	struct entry *e = hs_stack_inherited ? undefined_here(id) : NULL;
	if (!e)
		return 1;
	if (!hs_trylock(&dep.lock))
		return 0;
	int ok = define_locked(e, 0);
	hs_unlock(&dep.lock);
	return ok;
}

void hs_stack_after_fork_child(void)
{
	hs_lock_reset(&dep.lock);
	dep.gen++;
	memset(dep.recent, 0, sizeof dep.recent);
	hs_stack_inherited = dep.count > 0;
}

void hs_stack_new_epoch(void)
{
	__atomic_fetch_add(&dep.epoch, 0x100000001ull, __ATOMIC_RELAXED);
	/* A stack is read against the module map in force where it is
	 * defined. The caller is about to trace the map without the object
	 * just unloaded: an inherited stack still undefined gets its
	 * definition now, under the map it was captured with. */
	if (!hs_stack_inherited)
		return;
	hs_lock(&dep.lock);
	for (uint32_t id = 1; id <= dep.count; id++)
		define_locked(dep.by_id[id / ID_PAGE][id % ID_PAGE], 1);
	hs_stack_inherited = 0;
	hs_unlock(&dep.lock);
}

void hs_stack_lock(void)
{
	hs_lock(&dep.lock);
}

void hs_stack_unlock(void)
{
	hs_unlock(&dep.lock);
}
