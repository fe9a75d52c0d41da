/* stress_thread_exit.c — threads exit while others free their blocks, under
 * LD_PRELOAD (thread-cache recycling).
 *
 * 200 short-lived threads, 8 at a time. Each allocates blocks of every tier
 * and leaves them behind, frees blocks the main thread allocated for it,
 * keeps some freed objects in its magazine when it exits, and has a
 * pthread key destructor that runs after heapscope's own (so with no thread
 * cache) and allocates and frees too. The main thread joins the threads in
 * order and frees each one's blocks as soon as it has exited, while the
 * rest of the wave is still running or exiting.
 *
 * Checks: every block keeps its pattern and heapscope's usable size until
 * the main thread frees it; heapscope's in-use statistics return exactly to
 * the baseline; and exited threads' caches are recycled: heapscope's
 * internal memory (malloc_stats "heapscope internal bytes") grows by less
 * than 1 MiB from wave 2 to the end. A thread cache is ~15 KiB (a 16 KiB
 * internal object), so not recycling 180+ of them would add ≥ 2.8 MiB;
 * 1 MiB is the arena's refill unit, allowing one refill for slab
 * descriptors whose peak count can vary with timing.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hs_testutil.h"

#define THREADS 200
#define WAVE 8
#define OWN 240		/* blocks a thread leaves behind */
#define FROM_MAIN 60	/* blocks main allocates for a thread to free */
#define IN_DTOR 24	/* blocks the key destructor leaves behind */
#define MAXB (OWN + IN_DTOR)

struct block {
	void *p;
	size_t size;
	uint64_t id;
};

struct job {
	unsigned idx;
	struct block out[MAXB];
	unsigned nout;
	void *from_main[FROM_MAIN];
	size_t from_main_size[FROM_MAIN];
	atomic_int errors;
};

static struct job jobs[THREADS];
static pthread_key_t key;
static atomic_int failures;

static size_t size_for(unsigned t, unsigned k)
{
	unsigned r = (t * 7919u + k * 104729u) % 1000;
	if (k == 0)
		return 2 * HST_MIB + t; /* one own-mapping block each */
	if (r < 700)
		return r % 300;
	if (r < 950)
		return 300 + (r * 13) % 3300;
	if (r < 995)
		return 4096 + (r * 997) % 60000;
	return 200000 + r * 300;
}

static int alloc_block(struct job *j, size_t size, uint64_t id)
{
	void *p = malloc(size);
	if (!p || malloc_usable_size(p) != hst_usable_for(size)) {
		atomic_fetch_add(&j->errors, 1);
		free(p);
		return -1;
	}
	hst_fill(p, id, 0, size);
	j->out[j->nout].p = p;
	j->out[j->nout].size = size;
	j->out[j->nout].id = id;
	j->nout++;
	return 0;
}

/* Runs at thread exit after heapscope's destructor (its key is older). */
static void key_dtor(void *arg)
{
	struct job *j = arg;
	for (unsigned k = 0; k < IN_DTOR; k++)
		alloc_block(j, size_for(j->idx, k + 1000), ((uint64_t)j->idx << 32) | (k + 1000));
	/* free and reallocate a few in the exit path too */
	for (unsigned k = 0; k < 64; k++) {
		void *p = malloc(k * 40);
		if (!p)
			atomic_fetch_add(&j->errors, 1);
		free(p);
	}
	void *r = realloc(malloc(100), 70000);
	free(r);
}

static void *thread_main(void *arg)
{
	struct job *j = arg;
	pthread_setspecific(key, j);
	/* free what main allocated for us: cross-thread frees by a thread about
	 * to exit, landing in its magazine */
	for (unsigned k = 0; k < FROM_MAIN; k++) {
		if (hst_check(j->from_main[k], 7000 + k, 0, j->from_main_size[k]) != SIZE_MAX)
			atomic_fetch_add(&j->errors, 1);
		free(j->from_main[k]);
	}
	/* churn, leaving objects in the magazine at exit */
	for (unsigned r = 0; r < 20; r++) {
		void *tmp[100];
		for (unsigned k = 0; k < 100; k++)
			tmp[k] = malloc(size_for(j->idx + r, k + 1) % 1024);
		for (unsigned k = 0; k < 100; k++)
			free(tmp[k]);
	}
	for (unsigned k = 0; k < OWN; k++)
		alloc_block(j, size_for(j->idx, k), ((uint64_t)j->idx << 32) | k);
	return NULL;
}

/* malloc_stats' "heapscope internal bytes", read through a temporary fd 2. */
static unsigned long long internal_bytes(void)
{
	fflush(stderr);
	FILE *f = tmpfile();
	int saved = dup(2);
	if (!f || saved < 0)
		return 0;
	dup2(fileno(f), 2);
	malloc_stats();
	dup2(saved, 2);
	close(saved);
	char buf[16384];
	size_t n = (size_t)pread(fileno(f), buf, sizeof buf - 1, 0);
	fclose(f);
	buf[n < sizeof buf ? n : 0] = '\0';
	const char *k = strstr(buf, "heapscope internal bytes = ");
	return k ? strtoull(k + 27, NULL, 10) : 0;
}

static void *idle(void *arg)
{
	return arg;
}

int main(void)
{
	hst_require_preload();
	if (pthread_key_create(&key, key_dtor) != 0)
		return 2;
	/* warm glibc's thread stack cache so the baseline is exact */
	pthread_t th[WAVE];
	for (int i = 0; i < WAVE; i++)
		pthread_create(&th[i], NULL, idle, NULL);
	for (int i = 0; i < WAVE; i++)
		pthread_join(th[i], NULL);
	struct mallinfo2 before = mallinfo2();
	unsigned long long internal_wave2 = 0, frees = 0, allocs = 0;

	for (unsigned w = 0; w < THREADS / WAVE; w++) {
		for (unsigned i = 0; i < WAVE; i++) {
			struct job *j = &jobs[w * WAVE + i];
			j->idx = w * WAVE + i;
			for (unsigned k = 0; k < FROM_MAIN; k++) {
				j->from_main_size[k] = size_for(j->idx, k + 500) % 5000;
				j->from_main[k] = malloc(j->from_main_size[k]);
				hst_fill(j->from_main[k], 7000 + k, 0, j->from_main_size[k]);
			}
			if (pthread_create(&th[i], NULL, thread_main, j) != 0) {
				fprintf(stderr, "pthread_create failed\n");
				return 1;
			}
		}
		for (unsigned i = 0; i < WAVE; i++) {
			pthread_join(th[i], NULL);
			/* thread i has exited; i+1.. may still be running */
			struct job *j = &jobs[w * WAVE + i];
			if (j->nout != MAXB) {
				fprintf(stderr, "FAIL: thread %u left %u blocks, want %u\n", j->idx,
					j->nout, MAXB);
				atomic_fetch_add(&failures, 1);
			}
			for (unsigned k = 0; k < j->nout; k++) {
				struct block *b = &j->out[k];
				size_t bad = hst_check(b->p, b->id, 0, b->size);
				if (bad != SIZE_MAX || malloc_usable_size(b->p) != hst_usable_for(b->size)) {
					if (atomic_fetch_add(&failures, 1) < 10)
						fprintf(stderr, "FAIL: thread %u block %u (%zu B at %p): "
								"byte %zu, usable %zu\n",
							j->idx, k, b->size, b->p, bad,
							malloc_usable_size(b->p));
				}
				free(b->p);
				frees++;
			}
			allocs += j->nout;
			if (atomic_load(&j->errors)) {
				fprintf(stderr, "FAIL: thread %u saw %d errors\n", j->idx,
					atomic_load(&j->errors));
				atomic_fetch_add(&failures, 1);
			}
		}
		if (w == 1)
			internal_wave2 = internal_bytes();
	}
	unsigned long long internal_end = internal_bytes();
	struct mallinfo2 after = mallinfo2();
	printf("%d threads (%d at a time), %llu blocks freed by main after their thread exited; "
	       "internal bytes after wave 2 %llu, at the end %llu\n",
	       THREADS, WAVE, frees, internal_wave2, internal_end);
	int bad = atomic_load(&failures) != 0;
	if (allocs != (unsigned long long)THREADS * MAXB || frees != allocs) {
		fprintf(stderr, "FAIL: %llu blocks left behind, %llu freed\n", allocs, frees);
		bad = 1;
	}
	if (after.uordblks != before.uordblks || after.hblks != before.hblks ||
	    after.hblkhd != before.hblkhd) {
		fprintf(stderr, "FAIL: heapscope still counts blocks in use: uordblks %zu -> %zu, "
				"hblks %zu -> %zu\n",
			before.uordblks, after.uordblks, before.hblks, after.hblks);
		bad = 1;
	}
	if (!internal_wave2 || !internal_end ||
	    (internal_end > internal_wave2 && internal_end - internal_wave2 >= HST_MIB)) {
		fprintf(stderr, "FAIL: heapscope internal memory grew from %llu to %llu bytes over "
				"%d threads: exited threads' caches not recycled?\n",
			internal_wave2, internal_end, THREADS - 2 * WAVE);
		bad = 1;
	}
	return bad;
}
