/* lock.c — slow paths of the futex lock in lock.h: spin briefly, then sleep
 * in the kernel. Uses raw syscalls only. */
#include "lock.h"

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

void hs_lock_wait(hs_lock_t *l)
{
	/* A short spin catches the common case of a holder that is about to
	 * release (the critical sections here are tens of nanoseconds). */
	for (int i = 0; i < 100; i++) {
		__builtin_ia32_pause();
		uint32_t expect = 0;
		if (__atomic_load_n(&l->state, __ATOMIC_RELAXED) == 0 &&
		    __atomic_compare_exchange_n(&l->state, &expect, 1, 0, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
	}
	int saved = errno; /* callers such as free() must preserve errno */
	while (__atomic_exchange_n(&l->state, 2, __ATOMIC_ACQUIRE) != 0)
		syscall(SYS_futex, &l->state, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
	errno = saved;
}

void hs_lock_wake(hs_lock_t *l)
{
	int saved = errno;
	syscall(SYS_futex, &l->state, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	errno = saved;
}
