/* tcache.c — per-thread magazines (Bonwick & Adams, USENIX 2001).
 *
 * Each thread keeps, per size class, a magazine of free objects. malloc pops
 * and free pushes without any lock; an empty magazine is refilled with half
 * a magazine from the class's slabs, a full one gives half back. Objects go
 * back to whichever slab they came from, so a block freed by another thread
 * needs no special path: cross-thread frees simply land in the freeing
 * thread's magazine.
 *
 * Caches live in the internal arena and are linked in a registry so that
 * statistics can sum their counters, a thread's exit (pthread key
 * destructor) drains and recycles its cache, and a fork child can drop the
 * caches of threads that do not exist in it.
 */
#include "tcache.h"

#include <pthread.h>
#include <string.h>

#include "arena.h"
#include "fastunwind.h"
#include "fault.h"
#include "lock.h"

__thread struct hs_tcache *hs_tl_cache HS_TLS;
/* Set once the thread's cache has been torn down: later calls in the
 * thread's exit path go straight to the slabs instead of building a cache
 * that would never be drained. */
static __thread int tl_exited HS_TLS;

static struct {
	hs_lock_t lock;
	struct hs_tcache *live;
	struct hs_tcache *spare; /* drained caches of exited threads, for reuse */
	struct hs_class_count retired[HS_SLAB_CLASSES];
	struct hs_class_count orphan[HS_SLAB_CLASSES]; /* atomics, no lock */
	uint16_t next_tid;
	pthread_key_t key;
	int key_ok;
} reg;

uint8_t hs_mag_cap[HS_SLAB_CLASSES];

static unsigned cap_for(unsigned cls)
{
	uint32_t size = hs_slab_classes[cls].size;
	if (size <= 256)
		return HS_MAG_MAX;
	return size <= 1024 ? 32 : 16;
}

static void thread_exit(void *arg);

void hs_tcache_init(void)
{
	for (unsigned c = 0; c < HS_SLAB_CLASSES; c++)
		hs_mag_cap[c] = (uint8_t)cap_for(c);
	reg.key_ok = pthread_key_create(&reg.key, thread_exit) == 0;
}

static void add_counts(struct hs_class_count *to, const struct hs_class_count *from)
{
	for (unsigned c = 0; c < HS_SLAB_CLASSES; c++) {
		to[c].live += from[c].live;
		to[c].requested += from[c].requested;
		to[c].allocs += from[c].allocs;
		to[c].frees += from[c].frees;
	}
}

struct hs_tcache *hs_tcache_create(void)
{
	if (tl_exited)
		return NULL;
	hs_lock(&reg.lock);
	struct hs_tcache *tc = reg.spare;
	if (tc)
		reg.spare = tc->next;
	hs_unlock(&reg.lock);
	if (!tc) {
		tc = hs_arena_alloc(sizeof *tc);
		if (!tc)
			return NULL;
	} else {
		memset(tc, 0, sizeof *tc);
	}
	hs_lock(&reg.lock);
	tc->tid = ++reg.next_tid ? reg.next_tid : ++reg.next_tid;
	tc->next = reg.live;
	tc->prev = NULL;
	if (reg.live)
		reg.live->prev = tc;
	reg.live = tc;
	hs_unlock(&reg.lock);
	hs_tl_cache = tc;
	hs_fault_thread_init();
	/* glibc's pthread_setspecific allocates only for keys beyond the first
	 * 32; our key is created at init, among the first. */
	if (reg.key_ok)
		pthread_setspecific(reg.key, tc);
	return tc;
}

void hs_tcache_flush_half(struct hs_tcache *tc, unsigned cls)
{
	struct hs_magazine *m = &tc->mag[cls];
	unsigned half = m->n / 2;
	/* The oldest objects (bottom) go back; the most recently freed, still
	 * warm in cache, stay. */
	hs_slab_give(cls, m->obj, half);
	memmove(m->obj, m->obj + half, (m->n - half) * sizeof m->obj[0]);
	m->n -= half;
}

void hs_tcache_drain(struct hs_tcache *tc)
{
	for (unsigned c = 0; c < HS_SLAB_CLASSES; c++) {
		struct hs_magazine *m = &tc->mag[c];
		if (m->n)
			hs_slab_give(c, m->obj, m->n);
		m->n = 0;
	}
}

static void unlink_locked(struct hs_tcache *tc)
{
	if (tc->prev)
		tc->prev->next = tc->next;
	else
		reg.live = tc->next;
	if (tc->next)
		tc->next->prev = tc->prev;
}

static void retire_locked(struct hs_tcache *tc)
{
	unlink_locked(tc);
	add_counts(reg.retired, tc->count);
	tc->next = reg.spare;
	reg.spare = tc;
}

static void thread_exit(void *arg)
{
	struct hs_tcache *tc = arg;
	tl_exited = 1;
	/* the thread's stack walk caches too: the only per-thread exit hook */
	hs_fast_unwind_thread_exit();
	hs_tl_cache = NULL;
	hs_tcache_drain(tc);
	hs_lock(&reg.lock);
	retire_locked(tc);
	hs_unlock(&reg.lock);
}

void hs_tcache_count_orphan(unsigned cls, int dir, int64_t requested)
{
	struct hs_class_count *c = &reg.orphan[cls];
	__atomic_fetch_add(&c->live, dir, __ATOMIC_RELAXED);
	__atomic_fetch_add(&c->requested, dir * requested, __ATOMIC_RELAXED);
	__atomic_fetch_add(dir > 0 ? &c->allocs : &c->frees, 1, __ATOMIC_RELAXED);
}

void hs_tcache_counts(struct hs_class_count out[HS_SLAB_CLASSES])
{
	memset(out, 0, sizeof(struct hs_class_count) * HS_SLAB_CLASSES);
	hs_lock(&reg.lock);
	add_counts(out, reg.retired);
	add_counts(out, reg.orphan);
	for (struct hs_tcache *tc = reg.live; tc; tc = tc->next)
		add_counts(out, tc->count);
	hs_unlock(&reg.lock);
}

void hs_tcache_lock_registry(void)
{
	hs_lock(&reg.lock);
}

void hs_tcache_unlock_registry(void)
{
	hs_unlock(&reg.lock);
}

void hs_tcache_after_fork_child(void)
{
	/* Called with every allocator lock reset and free: only this thread
	 * exists now. The other threads' caches are dropped, not drained: a
	 * thread may have been forked in the middle of changing its magazine
	 * (hs_tcache_flush_half gives objects back before lowering the count),
	 * and draining a half-updated magazine would put objects into their
	 * slabs twice. Their objects stay out of the child's heap: at most a
	 * few magazines' worth per thread. */
	hs_lock_reset(&reg.lock);
	struct hs_tcache *tc = reg.live;
	while (tc) {
		struct hs_tcache *next = tc->next;
		if (tc != hs_tl_cache) {
			memset(tc->mag, 0, sizeof tc->mag);
			retire_locked(tc);
		}
		tc = next;
	}
}
