/* forker.c — parent and child allocate distinct known amounts at distinct
 * sites. Before fork the parent makes 2 x 500 B (SITE_PRE), live across the
 * fork; the child makes 7 x 3000 B (SITE_CHILD) and exits with status 3;
 * the parent waits for it, then makes 5 x 1000 B (SITE_PARENT), frees
 * everything and exits 0. Both make and free 100 B (SITE_BOTH) from one
 * call site, the parent before the fork and both after it: the child's
 * allocation has a stack it inherited, which its own trace must define.
 * With an argument ("late") the parent sleeps 300 ms before the fork.
 * Prints nothing. GOLDEN_NOIPA and the sink as in sites.c. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "golden_prog.h"

void *volatile hs_sink;
int volatile rounds = 2, forked; /* volatile, see main */

GOLDEN_NOIPA void pre_fork(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc(500); /* SITE_PRE */
		hs_sink = v[i];
	}
}

GOLDEN_NOIPA void both_work(void)
{
	void *p = malloc(100); /* SITE_BOTH */
	hs_sink = p;
	free(p);
}

GOLDEN_NOIPA void child_work(int n)
{
	void *v[16];
	for (int i = 0; i < n; i++) {
		v[i] = malloc(3000); /* SITE_CHILD */
		hs_sink = v[i];
	}
	for (int i = 0; i < n; i++)
		free(v[i]);
}

GOLDEN_NOIPA void parent_work(int n)
{
	void *v[16];
	for (int i = 0; i < n; i++) {
		v[i] = malloc(1000); /* SITE_PARENT */
		hs_sink = v[i];
	}
	for (int i = 0; i < n; i++)
		free(v[i]);
}

int main(int argc, char **argv)
{
	(void)argv;
	void *pre[2];
	pre_fork(pre, 2);
	if (argc > 1)
		usleep(300000);
	pid_t pid = 1;
	int round = 0;
	do { /* not a for loop, and no test the compiler can decide for the first
	      round: either would make it copy the call, giving 2 call sites */
		both_work(); /* one call site: the child's stack is the parent's */
		if (!forked++ && (pid = fork()) < 0)
			return 100;
	} while (++round < rounds);
	if (pid == 0) {
		child_work(7);
		exit(3);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 3)
		return 101;
	parent_work(5);
	free(pre[0]);
	free(pre[1]);
	return 0;
}
