/* Scenario 12: a forked child leaks 64 + 128 bytes and exits; the parent
 * waits, frees everything it allocated and exits clean. The block the
 * parent holds in a global across the fork is reachable in the child. */
#include <stdlib.h>
#include <sys/wait.h>

#include "leaktest.h"

static char *g_shared;

__attribute__((noinline)) static void child_leak_a(void)
{
	char *p = malloc(64); /* @fork_a */
	p[0] = 1;
}

__attribute__((noinline)) static void child_leak_b(void)
{
	char *p = malloc(128); /* @fork_b */
	p[0] = 1;
}

int main(void)
{
	g_shared = malloc(500); /* @fork_shared */
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		child_leak_a();
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
