/* stopworld.h — pause every other thread of the process, in-process, with a
 * signal (no ptrace: it must work in containers where ptrace is denied). */
#ifndef HS_STOPWORLD_H
#define HS_STOPWORLD_H

#include <stdint.h>
#include <sys/types.h>

#define HS_MAX_THREADS 4096
#define HS_NREGS 23 /* NGREG on x86_64 */

struct hs_thread_state {
	pid_t tid;
	int stopped;	/* answered the signal: regs and sp are exact */
	uintptr_t sp;	/* 0 when unknown */
	uintptr_t regs[HS_NREGS];
};

/* Pause all other threads; fills out[0..n) and returns n (≤ max). Threads
 * that do not answer within a short time (the signal blocked) are listed
 * with stopped = 0 and, when /proc tells it, their stack pointer.
 * Between stop and resume the caller must not allocate or take any lock a
 * paused thread might hold. */
int hs_world_stop(struct hs_thread_state *out, int max);
void hs_world_resume(void);

#endif
