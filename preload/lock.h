/* lock.h — the allocator's mutex: a three-state futex lock (Drepper,
 * "Futexes Are Tricky", mutex #3). It needs no initialisation call (zero is
 * unlocked), never allocates, and can be reset in a fork child.
 *
 * Lock order (outermost first); a thread never takes an earlier lock while
 * holding a later one:
 *   modules (modules.c) → stack depot (stackdepot.c) → trace (trace_writer.c)
 *   → registry (tcache.c) → slab class locks in class order (slab.c)
 *   → buddy (buddy.c) → large (large.c) → arena (arena.c)
 *   → quarantine (quarantine.c) → guard pool (guard.c)
 *   → our mappings' registry (pages.c)
 * and modules → the fast unwinder's rule table (fastunwind.c, which takes
 * no other lock but the mappings' registry; reset, not taken, at fork).
 * In practice the recording locks are never held while allocating from the
 * slabs: events are traced before a block is released or after it is
 * obtained.
 * pthread_atfork's prepare handler takes them all in exactly this order.
 *
 * While the process has one thread (glibc's __libc_single_threaded, which
 * its own malloc uses the same way), lock and unlock are plain loads and
 * stores: the two bus-locked instructions per traced event were most of
 * an event's cost. A signal handler on the same thread still sees the
 * state (it uses hs_trylock), and a process only leaves that mode through
 * pthread_create, which no caller makes while holding one of these locks.
 */
#ifndef HS_LOCK_H
#define HS_LOCK_H

#include <stdint.h>
#include <sys/single_threaded.h>

typedef struct {
	/* 0 unlocked, 1 locked, 2 locked with possible waiters */
	uint32_t state;
} hs_lock_t;

#define HS_LOCK_INIT {0}

void hs_lock_wait(hs_lock_t *l);
void hs_lock_wake(hs_lock_t *l);

static inline void hs_lock(hs_lock_t *l)
{
	if (__libc_single_threaded && __atomic_load_n(&l->state, __ATOMIC_RELAXED) == 0) {
		__atomic_store_n(&l->state, 1, __ATOMIC_RELAXED);
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		return;
	}
	uint32_t expect = 0;
	if (__atomic_compare_exchange_n(&l->state, &expect, 1, 0, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED))
		return;
	hs_lock_wait(l);
}

static inline int hs_trylock(hs_lock_t *l)
{
	uint32_t expect = 0;
	return __atomic_compare_exchange_n(&l->state, &expect, 1, 0, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static inline void hs_unlock(hs_lock_t *l)
{
	if (__libc_single_threaded) {
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		__atomic_store_n(&l->state, 0, __ATOMIC_RELAXED);
		return;
	}
	if (__atomic_exchange_n(&l->state, 0, __ATOMIC_RELEASE) == 2)
		hs_lock_wake(l);
}

/* Only for a fork child, where the holder no longer exists. */
static inline void hs_lock_reset(hs_lock_t *l)
{
	__atomic_store_n(&l->state, 0, __ATOMIC_RELAXED);
}

#endif
