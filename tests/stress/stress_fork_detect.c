/* stress_fork_detect.c — fork while threads free, in detect mode: frees go
 * through the quarantine and small blocks into the guard pool, whose locks
 * a fork may catch held by another thread. Four threads allocate and free
 * without pause while the main thread forks 200 times; each child
 * allocates and frees 100 blocks and exits 0. A child stuck on a lock its
 * parent's thread held (the quarantine's, before the fork handlers took
 * it) is killed by its alarm and fails the test.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKERS 4
#define FORKS 200
#define CHILD_TIMEOUT 20 /* seconds; a healthy child needs milliseconds */

static atomic_int stop;

static void *worker(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;
	void *keep[64] = {0};
	while (!atomic_load(&stop)) {
		unsigned i = (seed = seed * 1103515245u + 12345u) % 64;
		free(keep[i]);
		keep[i] = malloc(16 + (seed >> 16) % 3000);
		if (keep[i])
			memset(keep[i], 1, 16);
	}
	for (unsigned i = 0; i < 64; i++)
		free(keep[i]);
	return NULL;
}

int main(void)
{
	pthread_t t[WORKERS];
	for (int i = 0; i < WORKERS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)(i + 1)) != 0)
			return 2;
	int failed = 0;
	for (int f = 0; f < FORKS; f++) {
		pid_t pid = fork();
		if (pid < 0)
			return 3;
		if (pid == 0) {
			alarm(CHILD_TIMEOUT);
			for (int i = 0; i < 100; i++)
				free(malloc((size_t)(i + 1) * 8));
			_exit(0);
		}
		int st;
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "FAIL: child of fork %d: %s %d\n", f, WIFSIGNALED(st) ? "killed by signal" : "status",
				WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
			failed++;
		}
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	printf("%d forks with %d threads freeing: %d failed\n", FORKS, WORKERS, failed);
	return failed != 0;
}
