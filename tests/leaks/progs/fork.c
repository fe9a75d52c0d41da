/* Scenario 12: a forked child leaks 64 + 128 bytes and exits; the parent
 * waits, frees everything it allocated and exits clean. The block the
 * parent holds in a global across the fork is reachable in the child. The
 * 64 bytes come from a stack the parent allocated from (and freed) just
 * before the fork: the child's trace must define that inherited stack
 * itself. */
#include <stdlib.h>
#include <sys/wait.h>

#include "leaktest.h"

static char *g_shared;
static int volatile rounds = 2, forked; /* volatile, see main */

__attribute__((noinline)) static void child_leak_a(int keep)
{
	char *p = malloc(64); /* @fork_a */
	p[0] = 1;
	if (!keep)
		free(p);
}

__attribute__((noinline)) static void child_leak_b(void)
{
	char *p = malloc(128); /* @fork_b */
	p[0] = 1;
}

int main(void)
{
	g_shared = malloc(500); /* @fork_shared */
	pid_t pid = 1;
	int round = 0;
	do { /* not a for loop, and no test the compiler can decide for the first
	      round: either would make it copy the call, giving 2 call sites */
		child_leak_a(pid == 0); /* one call site: the same stack before and after */
		if (!forked++ && (pid = fork()) < 0)
			return 1;
	} while (++round < rounds);
	if (pid == 0) {
		child_leak_b();
		lt_scrub_stack();
		exit(0);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	lt_say("child=%d\n", (int)pid);
	free(g_shared);
	g_shared = NULL;
	lt_scrub_stack();
	return 0;
}
