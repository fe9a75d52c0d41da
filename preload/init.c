/* init.c — lazy initialisation on the first allocator call, fork handling
 * and the exit hook.
 *
 * The first malloc can come before any constructor runs (ld.so and other
 * libraries' constructors allocate before ours), so initialisation happens
 * on first use, from zero-initialised statics, and allocates nothing:
 * mappings come straight from pages.c. A thread that finds initialisation
 * in progress in another thread waits for it.
 */
#define _GNU_SOURCE
#include "alloc.h"

#include <pthread.h>
#include <stdlib.h>

#include "arena.h"
#include "buddy.h"
#include "guard.h"
#include "large.h"
#include "leakscan.h"
#include "options.h"
#include "out.h"
#include "modules.h"
#include "pagemap.h"
#include "record.h"
#include "fastunwind.h"
#include "stackdepot.h"
#include "slab.h"
#include "stats.h"
#include "pages.h"
#include "quarantine.h"
#include "tcache.h"
#include "trace_writer.h"

int hs_init_state;

static void fork_prepare(void)
{
	/* The lock order of lock.h. */
	hs_modules_lock();
	hs_stack_lock();
	hs_trace_lock();
	hs_tcache_lock_registry();
	hs_slab_lock_all();
	hs_buddy_lock();
	hs_large_lock();
	hs_arena_lock_all();
	hs_quarantine_lock();
	hs_guard_lock();
	hs_pages_lock();
}

static void fork_parent(void)
{
	hs_pages_unlock();
	hs_guard_unlock();
	hs_quarantine_unlock();
	hs_arena_unlock_all();
	hs_large_unlock();
	hs_buddy_unlock();
	hs_slab_unlock_all();
	hs_tcache_unlock_registry();
	hs_trace_unlock();
	hs_stack_unlock();
	hs_modules_unlock();
	hs_record_after_fork_parent();
}

static void fork_child(void)
{
	hs_pages_reset_lock();
	hs_guard_reset_lock();
	hs_quarantine_reset_lock();
	hs_arena_reset_locks();
	hs_large_reset_lock();
	hs_buddy_reset_lock();
	hs_slab_reset_locks();
	hs_tcache_after_fork_child();
	hs_modules_reset_lock();
	hs_stack_after_fork_child();
	hs_fast_unwind_after_fork_child();
	hs_trace_after_fork_child();
	hs_leak_after_fork_child();
	hs_record_after_fork_child();
}

void hs_init(void)
{
	int expect = 0;
	if (!__atomic_compare_exchange_n(&hs_init_state, &expect, 1, 0, __ATOMIC_ACQUIRE,
					 __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&hs_init_state, __ATOMIC_ACQUIRE) != 2)
			__builtin_ia32_pause();
		return;
	}
	hs_out_init_err();
	hs_options_parse(getenv("HEAPSCOPE_OPTIONS"));
	if (hs_heap_init() != 0) {
		struct hs_out o;
		hs_out_init(&o, hs_err_fd);
		hs_out_str(&o, "heapscope: cannot reserve address space for the heap; "
			       "every block gets its own mapping\n");
		hs_out_flush(&o);
	}
	hs_slab_init();
	hs_tcache_init();
	__atomic_store_n(&hs_init_state, 2, __ATOMIC_RELEASE);
	/* May allocate: only now that the allocator works. */
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}

__attribute__((destructor)) static void at_exit(void)
{
	if (hs_init_state == 2 && (hs_opt.stats || hs_opt.verbosity >= 2))
		hs_stats_print(hs_err_fd);
}
