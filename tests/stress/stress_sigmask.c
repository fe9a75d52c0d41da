/* stress_sigmask — the program's signal mask and signal delivery survive
 * stack capture. heapscope answers libunwind's signal masking itself during
 * a capture (capture.c: blocks everything once, restores once): if it ever
 * left the mask changed, or lost a signal that arrived meanwhile, this
 * program sees it.
 *
 * Run under `heapscope run --no-detect`: every malloc is captured. Many
 * distinct call paths (recursion through four functions chosen by the bits
 * of a counter) keep libunwind missing its cache, which is where it masks
 * signals. A CPU-time timer (SIGPROF every 200 us) interrupts captures;
 * SIGUSR1 and SIGUSR2 stay blocked throughout and SIGUSR1, raised while
 * blocked, must be delivered when unblocked. Exit 0 when all holds. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t profs, usr1;
static sigset_t want; /* the mask the program set */

static void on_prof(int sig)
{
	(void)sig;
	profs++;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

static void check_mask(const char *where)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	for (int s = 1; s < SIGRTMIN; s++)
		if (sigismember(&cur, s) != sigismember(&want, s)) {
			fprintf(stderr, "stress_sigmask: %s: signal %d is %s\n", where, s,
				sigismember(&cur, s) ? "blocked" : "not blocked");
			exit(1);
		}
}

typedef void *(*step_fn)(unsigned, unsigned);
static void *a(unsigned bits, unsigned depth);
static void *b(unsigned bits, unsigned depth);
static void *c(unsigned bits, unsigned depth);
static void *d(unsigned bits, unsigned depth);
static step_fn const steps[4] = {a, b, c, d};

static void *leaf(unsigned bits)
{
	void *p = malloc(16 + (bits & 63));
	check_mask("after malloc");
	return p;
}

/* noinline and a use after the call: real frames, no tail calls */
#define STEP(name)                                                        \
	__attribute__((noinline)) static void *name(unsigned bits, unsigned depth) \
	{                                                                 \
		void *p = depth ? steps[bits & 3](bits >> 2, depth - 1) : leaf(bits); \
		__asm__ volatile("" ::"r"(p) : "memory");                 \
		return p;                                                 \
	}
STEP(a)
STEP(b)
STEP(c)
STEP(d)

int main(void)
{
	sigemptyset(&want);
	sigaddset(&want, SIGUSR1);
	sigaddset(&want, SIGUSR2);
	sigprocmask(SIG_SETMASK, &want, NULL);
	signal(SIGPROF, on_prof);
	signal(SIGUSR1, on_usr1);
	struct itimerval it = {{0, 200}, {0, 200}};
	setitimer(ITIMER_PROF, &it, NULL);

	/* 4^8 distinct stacks, each a few times */
	for (unsigned round = 0; round < 3; round++)
		for (unsigned path = 0; path < (1u << 16); path++) {
			void *p = steps[path & 3](path >> 2, 8);
			free(p);
		}
	struct itimerval off = {{0, 0}, {0, 0}};
	setitimer(ITIMER_PROF, &off, NULL);
	check_mask("at the end");
	if (profs == 0) {
		fprintf(stderr, "stress_sigmask: no SIGPROF was delivered\n");
		return 1;
	}
	raise(SIGUSR1);
	if (usr1) {
		fprintf(stderr, "stress_sigmask: SIGUSR1 delivered while blocked\n");
		return 1;
	}
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (usr1 != 1) {
		fprintf(stderr, "stress_sigmask: SIGUSR1 not delivered after unblocking\n");
		return 1;
	}
	printf("stress_sigmask: %d SIGPROF delivered, mask kept\n", (int)profs);
	return 0;
}
