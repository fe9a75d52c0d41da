/* ownhandler.c — a program that handles SIGSEGV itself (sigaction +
 * siglongjmp), as language runtimes and JITs do.
 *
 * usage: ownhandler [overflow]
 *   always:   a deliberate NULL read; the program's handler jumps back and
 *             it prints "recovered". Not heapscope's fault: not reported.
 *   overflow: then a write one byte past a 4096-byte block (flush against
 *             its guard page): heapscope explains it (heap-buffer-overflow)
 *             and passes the signal on to the program's handler, which
 *             recovers again ("recovered from overflow").
 * Exits 0 when it recovered every time. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sigjmp_buf env;
static volatile sig_atomic_t faults;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)si;
	(void)ctx;
	faults++;
	siglongjmp(env, 1);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) != 0)
		return 4;
	if (sigsetjmp(env, 1) == 0) {
		int *volatile np = NULL;
		volatile int v = *np; /* @null */
		(void)v;
		puts("not reached: NULL read did not fault");
		return 1;
	}
	puts("recovered");
	if (argc > 1 && !strcmp(argv[1], "overflow")) {
		char *volatile p = malloc(4096); /* @alloc */
		if (!p)
			return 3;
		if (sigsetjmp(env, 1) == 0) {
			p[4096] = 'x'; /* @overflow */
			puts("not reached: overflow did not fault");
			return 1;
		}
		puts("recovered from overflow");
		free(p);
	}
	printf("faults %d\n", (int)faults);
	return 0;
}
