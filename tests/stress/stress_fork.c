/* stress_fork.c — fork from a multithreaded program under LD_PRELOAD.
 *
 * Four threads allocate, check and free in a loop (mostly bursts of one
 * slab class, so their magazines keep refilling from and flushing to the
 * slabs, plus rounds mixing buddy and large blocks) while the main thread
 * forks 50 times. Each child, alone with
 * whatever state the fork caught, allocates blocks of every tier (each slab
 * class, buddy orders, own mappings), checks they are distinct and do not
 * overlap (a pattern per block), reallocs and callocs, starts two threads
 * of its own, frees everything and exits 0. An alarm turns a deadlocked
 * child into a failure. The parent checks every child's status, and its
 * own heap afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hs_testutil.h"

#define WORKERS 4
#define FORKS 50
#define CHILD_TIMEOUT 15 /* seconds; a healthy child needs well under 1 s */

static atomic_int stop;
static atomic_int worker_errors;
static atomic_ullong worker_rounds;

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* Rounds alternate between one slab class at a time (200 objects allocated,
 * then freed: the magazine refills and flushes half to the slab several
 * times per round, the work a fork is most likely to interrupt) and a mix
 * of every tier. */
static void *worker(void *arg)
{
	uint64_t rng = 0x1234567u + (uintptr_t)arg * 0x9E3779B97F4A7C15ull;
	enum { N = 200 };
	void *v[N];
	size_t sz[N];
	uint64_t id = (uint64_t)(uintptr_t)arg << 40;
	for (unsigned round = 0; !atomic_load(&stop); round++) {
		size_t one_class = hst_classes[round % HST_NCLASSES];
		for (int i = 0; i < N; i++) {
			uint64_t r = xorshift(&rng);
			unsigned k = (unsigned)(r % 100);
			if (round % 4 != 3)
				sz[i] = one_class - (size_t)(r >> 8) % 16;
			else
				sz[i] = k < 80 ? (size_t)(r >> 8) % 256
				      : k < 97 ? (size_t)(r >> 8) % 60000
					       : (size_t)(r >> 8) % (3 * HST_MIB);
			v[i] = malloc(sz[i]);
			if (!v[i]) {
				atomic_fetch_add(&worker_errors, 1);
				continue;
			}
			hst_fill(v[i], id + (uint64_t)i, 0, sz[i] < 4096 ? sz[i] : 4096);
		}
		for (int i = 0; i < N; i++) {
			if (!v[i])
				continue;
			if (hst_check(v[i], id + (uint64_t)i, 0, sz[i] < 4096 ? sz[i] : 4096) != SIZE_MAX)
				atomic_fetch_add(&worker_errors, 1);
			free(v[i]);
		}
		id += N;
		atomic_fetch_add(&worker_rounds, 1);
	}
	return NULL;
}

static void *child_thread(void *arg)
{
	uint64_t base = (uint64_t)(uintptr_t)arg;
	void *v[2000];
	for (int r = 0; r < 4; r++) {
		for (int i = 0; i < 2000; i++) {
			v[i] = malloc((size_t)i % 700);
			if (!v[i])
				return (void *)1;
			hst_fill(v[i], base + (uint64_t)i, 0, (size_t)i % 700);
		}
		for (int i = 0; i < 2000; i++) {
			if (hst_check(v[i], base + (uint64_t)i, 0, (size_t)i % 700) != SIZE_MAX)
				return (void *)1;
			free(v[i]);
		}
	}
	return NULL;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
	return x < y ? -1 : x > y;
}

#define CHILD_FAIL(...)                                                            \
	do {                                                                       \
		fprintf(stderr, "child %d: ", (int)getpid());                       \
		fprintf(stderr, __VA_ARGS__);                                      \
		fputc('\n', stderr);                                               \
		_exit(1);                                                          \
	} while (0)

/* Everything a child does; exits 0 only if all checks pass. */
static void child_main(int round)
{
	alarm(CHILD_TIMEOUT);
	/* every slab class × 80, buddy sizes, own mappings */
	static const size_t extra[] = {
		3585, 4096, 5000, 8192, 20000, 65536, 100000, 262144, 700000, HST_MIB,
		HST_MIB + 1, 2 * HST_MIB, 3 * HST_MIB,
	};
	enum { PER_CLASS = 80, MAXB = HST_NCLASSES * PER_CLASS + 64 };
	static void *v[MAXB];
	static size_t sz[MAXB];
	static uintptr_t sorted[MAXB];
	size_t n = 0;
	for (size_t c = 0; c < HST_NCLASSES; c++)
		for (int k = 0; k < PER_CLASS; k++) {
			sz[n] = hst_classes[c] - (size_t)k % 16;
			v[n] = malloc(sz[n]);
			n++;
		}
	for (size_t e = 0; e < sizeof extra / sizeof extra[0]; e++)
		for (int k = 0; k < 4; k++) {
			sz[n] = extra[e];
			v[n] = malloc(sz[n]);
			n++;
		}
	for (size_t i = 0; i < n; i++) {
		if (!v[i])
			CHILD_FAIL("round %d: malloc(%zu) failed", round, sz[i]);
		if (malloc_usable_size(v[i]) != hst_usable_for(sz[i]))
			CHILD_FAIL("round %d: malloc(%zu) usable %zu", round, sz[i],
				   malloc_usable_size(v[i]));
		hst_fill(v[i], i, 0, sz[i]);
		sorted[i] = (uintptr_t)v[i];
	}
	for (size_t i = 0; i < n; i++)
		if (hst_check(v[i], i, 0, sz[i]) != SIZE_MAX)
			CHILD_FAIL("round %d: block %zu (%zu B at %p) overwritten at byte %zu", round, i,
				   sz[i], v[i], hst_check(v[i], i, 0, sz[i]));
	qsort(sorted, n, sizeof sorted[0], cmp_ptr);
	for (size_t i = 1; i < n; i++)
		if (sorted[i] == sorted[i - 1])
			CHILD_FAIL("round %d: %p handed out twice", round, (void *)sorted[i]);
	/* realloc every block to another tier and back */
	for (size_t i = 0; i < n; i++) {
		size_t to = sz[i] < 4096 ? sz[i] * 40 + 1 : sz[i] / 50;
		void *q = realloc(v[i], to);
		if (!q)
			CHILD_FAIL("round %d: realloc failed", round);
		size_t keep = to < sz[i] ? to : sz[i];
		if (hst_check(q, i, 0, keep) != SIZE_MAX)
			CHILD_FAIL("round %d: realloc %zu -> %zu lost data", round, sz[i], to);
		v[i] = q;
		sz[i] = keep;
	}
	for (size_t i = 0; i < n; i++) {
		if (hst_check(v[i], i, 0, sz[i]) != SIZE_MAX)
			CHILD_FAIL("round %d: block %zu overwritten after realloc", round, i);
		free(v[i]);
	}
	/* calloc reuses what was just dirtied */
	for (size_t i = 0; i < 400; i++) {
		size_t s = (i * 131) % 70000;
		unsigned char *p = calloc(1, s);
		if (!p || hst_first_nonzero(p, s) != SIZE_MAX)
			CHILD_FAIL("round %d: calloc(%zu) not zeroed", round, s);
		free(p);
	}
	/* threads in the child */
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, child_thread,
				   (void *)((uintptr_t)(i + 1) << 32)) != 0)
			CHILD_FAIL("round %d: pthread_create", round);
	for (int i = 0; i < 2; i++) {
		void *r;
		pthread_join(t[i], &r);
		if (r)
			CHILD_FAIL("round %d: child thread %d saw a broken block", round, i);
	}
	exit(0); /* through the exit path: atexit handlers, heapscope's destructor */
}

int main(void)
{
	hst_require_preload();
	pthread_t th[WORKERS];
	for (int i = 0; i < WORKERS; i++)
		if (pthread_create(&th[i], NULL, worker, (void *)(uintptr_t)(i + 1)) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int failed = 0;
	for (int round = 0; round < FORKS; round++) {
		/* let the workers get into the thick of it */
		struct timespec d = {0, 2 * 1000 * 1000};
		nanosleep(&d, NULL);
		fflush(stdout);
		fflush(stderr);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			failed++;
			continue;
		}
		if (pid == 0)
			child_main(round);
		/* the parent keeps allocating while the child runs */
		void *keep[64];
		for (int i = 0; i < 64; i++) {
			keep[i] = malloc((size_t)i * 1000);
			hst_fill(keep[i], (uint64_t)i, 0, (size_t)i * 1000);
		}
		int status;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			if (WIFSIGNALED(status))
				fprintf(stderr, "FAIL: child of fork %d killed by signal %d%s\n", round,
					WTERMSIG(status),
					WTERMSIG(status) == SIGALRM ? " (deadlock: alarm)" : "");
			else
				fprintf(stderr, "FAIL: child of fork %d exited with %d\n", round,
					WEXITSTATUS(status));
			failed++;
		}
		for (int i = 0; i < 64; i++) {
			if (hst_check(keep[i], (uint64_t)i, 0, (size_t)i * 1000) != SIZE_MAX) {
				fprintf(stderr, "FAIL: parent block broken\n");
				failed++;
			}
			free(keep[i]);
		}
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(th[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%d forks with %d busy threads in %.2f s; workers ran %llu rounds\n", FORKS, WORKERS,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       atomic_load(&worker_rounds));
	if (atomic_load(&worker_errors)) {
		fprintf(stderr, "FAIL: %d broken or failed blocks in the workers\n",
			atomic_load(&worker_errors));
		failed++;
	}
	if (atomic_load(&worker_rounds) < WORKERS) {
		fprintf(stderr, "FAIL: workers did not run\n");
		failed++;
	}
	/* the parent's heap is intact */
	for (size_t s = 0; s < 3 * HST_MIB; s = s * 2 + 1) {
		void *p = malloc(s);
		if (!p || malloc_usable_size(p) != hst_usable_for(s)) {
			fprintf(stderr, "FAIL: parent malloc(%zu) after the forks\n", s);
			failed++;
		}
		free(p);
	}
	return failed != 0;
}
