/* stress_random.c — deterministic random stress of the malloc API under
 * LD_PRELOAD: 8 threads × 1,000,000 operations (malloc, calloc, realloc,
 * reallocarray, free, memalign, aligned_alloc, posix_memalign) on sizes 0..2 MiB
 * skewed towards small ones. Threads hand blocks to each other through a
 * locked exchange array, so blocks are freed and reallocated by threads that
 * did not allocate them. Every block carries a pattern derived from its id,
 * checked before each free and realloc; at the end every block has been freed
 * (counts match, heapscope's own in-use statistics are back to where they
 * started). Every byte of every block is patterned and checked.
 * A second, shorter phase (ops/250 rounds of 64 blocks per thread) has all
 * threads churn and trade blocks of one size class, which is what exposes
 * locking mistakes in the slab layer.
 *
 * HS_STRESS_OPS=n runs n operations per thread instead (for quick runs; the
 * ctest registration uses the default 1,000,000). Seeds are fixed (xorshift,
 * one per thread); only the interleaving of the threads, and so which blocks
 * cross through the exchange, varies from run to run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "hs_testutil.h"

#define NTHREADS 8
#define DEFAULT_OPS 1000000
#define SLOTS 1024		/* live blocks per thread, at most */
#define XCHG_CAP 256		/* blocks in transit between threads, at most */
/* CPU budget: 60 s of wall time on 2 cores. Checked as CPU time (user +
 * system), which does not depend on what else the machine is running. */
#define CPU_BUDGET_S 120.0

struct block {
	unsigned char *p;
	size_t size;
	uint64_t id;
};

static struct {
	pthread_mutex_t lock;
	struct block b[XCHG_CAP];
	unsigned n;
} xchg = {PTHREAD_MUTEX_INITIALIZER, {{0}}, 0};

static atomic_ullong total_allocs, total_frees, total_handed, total_taken;
static atomic_int failures;
static atomic_llong hot_ns_max; /* longest phase 2 of any thread */
static long ops_per_thread = DEFAULT_OPS;

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static void fail(const char *what, const struct block *b, size_t at)
{
	if (atomic_fetch_add(&failures, 1) < 20)
		fprintf(stderr, "FAIL: %s: block id %llu at %p size %zu, byte %zu\n", what,
			(unsigned long long)b->id, (void *)b->p, b->size, at);
}

static size_t min_sz(size_t a, size_t b)
{
	return a < b ? a : b;
}

static void fill(struct block *b)
{
	hst_fill(b->p, b->id, 0, b->size);
}

static int verify(const struct block *b, size_t limit, const char *when)
{
	size_t at = hst_check(b->p, b->id, 0, limit);
	if (at != SIZE_MAX) {
		fail(when, b, at);
		return -1;
	}
	return 0;
}

/* 0..2 MiB, mostly small: 70% ≤ 128 B, 20% ≤ 1 KiB, 7% ≤ 8 KiB,
 * 2.5% ≤ 64 KiB, 0.45% ≤ 1 MiB, 0.05% ≤ 2 MiB. */
static size_t pick_size(uint64_t *rng)
{
	uint64_t r = xorshift(rng);
	unsigned k = (unsigned)(r % 10000);
	r >>= 16;
	if (k < 7000)
		return r % 129;
	if (k < 9000)
		return 129 + r % (1024 - 128);
	if (k < 9700)
		return 1025 + r % (8192 - 1024);
	if (k < 9950)
		return 8193 + r % (65536 - 8192);
	if (k < 9995)
		return 65537 + r % (HST_MIB - 65536);
	return HST_MIB + 1 + r % HST_MIB;
}

static void check_usable(const struct block *b, size_t align)
{
	size_t u = malloc_usable_size(b->p);
	size_t want = align > 16 ? hst_usable_for_aligned(b->size, align) : hst_usable_for(b->size);
	if (u != want) {
		fail("usable size differs from heapscope's policy", b, u);
	}
	if ((uintptr_t)b->p % (align > 16 ? align : 16) != 0)
		fail("misaligned block", b, align);
}

static int allocate(struct block *b, uint64_t *rng, uint64_t id)
{
	uint64_t r = xorshift(rng);
	size_t n = pick_size(rng);
	size_t align = 16;
	unsigned kind = (unsigned)(r % 100);
	void *p;
	if (kind < 55) {
		p = malloc(n);
	} else if (kind < 70) {
		p = calloc(1, n);
		if (p && hst_first_nonzero(p, n) != SIZE_MAX) {
			struct block t = {p, n, id};
			fail("calloc returned nonzero bytes", &t, hst_first_nonzero(p, n));
		}
	} else if (kind < 80) {
		p = realloc(NULL, n);
	} else if (kind < 84) {
		p = reallocarray(NULL, n, 1);
	} else {
		align = (size_t)16 << ((r >> 8) % 9); /* 16 .. 4096 */
		if ((r >> 16) % 64 == 0)
			align = (size_t)64 << 10;
		if (kind < 90) {
			p = memalign(align, n);
		} else if (kind < 95) {
			p = aligned_alloc(align, n);
		} else {
			p = NULL;
			int e = posix_memalign(&p, align, n);
			if (e != 0)
				p = NULL;
		}
	}
	if (!p) {
		struct block t = {NULL, n, id};
		fail("allocation failed", &t, (size_t)errno);
		return -1;
	}
	b->p = p;
	b->size = n;
	b->id = id;
	check_usable(b, align);
	fill(b);
	return 0;
}

static void release(struct block *b, unsigned long long *frees)
{
	verify(b, b->size, "pattern broken before free");
	free(b->p);
	b->p = NULL;
	(*frees)++;
}

static int give(const struct block *b)
{
	int ok = 0;
	pthread_mutex_lock(&xchg.lock);
	if (xchg.n < XCHG_CAP) {
		xchg.b[xchg.n++] = *b;
		ok = 1;
	}
	pthread_mutex_unlock(&xchg.lock);
	return ok;
}

static int take(struct block *b, uint64_t r)
{
	int ok = 0;
	pthread_mutex_lock(&xchg.lock);
	if (xchg.n > 0) {
		unsigned i = (unsigned)(r % xchg.n);
		*b = xchg.b[i];
		xchg.b[i] = xchg.b[--xchg.n];
		ok = 1;
	}
	pthread_mutex_unlock(&xchg.lock);
	return ok;
}

/* Phase 2: every thread churns one size class (33..48 B → the 48-byte class)
 * and trades half its blocks, so magazine refills and flushes of that one
 * class run concurrently on every core: the slab layer's locking is
 * exercised far harder than by the random mix spread over 27 classes. */
static void hot_phase(uint64_t *next_id, unsigned long long *allocs, unsigned long long *frees,
		      unsigned long long *handed, unsigned long long *taken)
{
	enum { BATCH = 64 };
	struct block v[BATCH];
	long rounds = ops_per_thread / 250;
	for (long r = 0; r < rounds && atomic_load(&failures) == 0; r++) {
		unsigned n = 0;
		for (unsigned i = 0; i < BATCH; i++) {
			v[n].size = 33 + i % 16;
			v[n].id = ++*next_id;
			v[n].p = malloc(v[n].size);
			if (!v[n].p) {
				fail("allocation failed", &v[n], (size_t)errno);
				continue;
			}
			fill(&v[n]);
			n++;
			(*allocs)++;
		}
		for (unsigned i = 0; i < n; i++) {
			if ((i & 1) && give(&v[i])) {
				(*handed)++;
				continue;
			}
			release(&v[i], frees);
		}
		struct block b;
		for (unsigned k = 0; k < BATCH / 2 && take(&b, (uint64_t)r * 31 + k); k++) {
			(*taken)++;
			release(&b, frees);
		}
	}
}

static void *worker(void *arg)
{
	unsigned t = (unsigned)(uintptr_t)arg;
	uint64_t rng = 0x9E3779B97F4A7C15ull ^ ((uint64_t)(t + 1) * 0xD1B54A32D192ED03ull);
	struct block *slot = calloc(SLOTS, sizeof *slot);
	unsigned long long allocs = 0, frees = 0, handed = 0, taken = 0;
	uint64_t next_id = (uint64_t)t << 40;
	for (long op = 0; op < ops_per_thread && atomic_load(&failures) == 0; op++) {
		uint64_t r = xorshift(&rng);
		struct block *b = &slot[r % SLOTS];
		unsigned kind = (unsigned)((r >> 32) % 100);
		if (!b->p) {
			if (kind < 15 && take(b, r >> 16)) {
				taken++;
				verify(b, b->size, "pattern broken in transit");
			} else if (allocate(b, &rng, ++next_id) == 0) {
				allocs++;
			}
			continue;
		}
		if (kind < 40) {
			release(b, &frees);
		} else if (kind < 70) {
			/* realloc (reallocarray a few times): prefix kept */
			size_t n = pick_size(&rng);
			if (verify(b, b->size, "pattern broken before realloc") != 0)
				continue;
			struct block old = *b;
			void *q = kind < 66 ? realloc(b->p, n) : reallocarray(b->p, 1, n);
			if (n == 0) {
				/* glibc semantics: freed, NULL returned */
				if (q != NULL)
					fail("realloc(p, 0) returned non-NULL", &old, 0);
				b->p = NULL;
				frees++;
				continue;
			}
			if (!q) {
				fail("realloc failed", &old, n);
				continue;
			}
			/* the old block's bytes, up to the smaller size */
			struct block moved = old;
			moved.p = q;
			int ok = verify(&moved, min_sz(old.size, n), "realloc lost contents");
			b->p = q;
			b->size = n;
			if (ok == 0) {
				check_usable(b, 16);
				fill(b);
			}
		} else if (kind < 90) {
			if (give(b)) {
				handed++;
				b->p = NULL;
			}
		} else {
			verify(b, b->size, "pattern broken while live");
		}
	}
	for (unsigned i = 0; i < SLOTS; i++)
		if (slot[i].p)
			release(&slot[i], &frees);
	free(slot);
	struct timespec h0, h1;
	clock_gettime(CLOCK_MONOTONIC, &h0);
	hot_phase(&next_id, &allocs, &frees, &handed, &taken);
	clock_gettime(CLOCK_MONOTONIC, &h1);
	long long ns = (long long)(h1.tv_sec - h0.tv_sec) * 1000000000LL + (h1.tv_nsec - h0.tv_nsec);
	long long cur = atomic_load(&hot_ns_max);
	while (ns > cur && !atomic_compare_exchange_weak(&hot_ns_max, &cur, ns))
		;
	atomic_fetch_add(&total_allocs, allocs);
	atomic_fetch_add(&total_frees, frees);
	atomic_fetch_add(&total_handed, handed);
	atomic_fetch_add(&total_taken, taken);
	return NULL;
}

static void *idle(void *arg)
{
	return arg;
}

int main(void)
{
	hst_require_preload();
	const char *env = getenv("HS_STRESS_OPS");
	if (env && *env) {
		ops_per_thread = strtol(env, NULL, 10);
		if (ops_per_thread <= 0) {
			fprintf(stderr, "bad HS_STRESS_OPS\n");
			return 2;
		}
	}
	pthread_t th[NTHREADS];
	/* Warm glibc's thread stack cache (and the DTVs it mallocs for new
	 * threads) so that the statistics baseline below is exact. */
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, idle, NULL);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	struct mallinfo2 before = mallinfo2();

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < NTHREADS; i++)
		if (pthread_create(&th[i], NULL, worker, (void *)(uintptr_t)i) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	/* blocks still in transit */
	unsigned long long frees = 0;
	struct block b;
	while (take(&b, 0))
		release(&b, &frees);
	atomic_fetch_add(&total_frees, frees);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

	struct mallinfo2 after = mallinfo2();
	unsigned long long a = atomic_load(&total_allocs), f = atomic_load(&total_frees);
	printf("%d threads x %ld ops in %.2f s (one-class phase: %.2f s): %llu allocations, "
	       "%llu frees, %llu handed over, %llu taken, %llu drained at the end\n",
	       NTHREADS, ops_per_thread, secs, (double)atomic_load(&hot_ns_max) / 1e9, a, f,
	       atomic_load(&total_handed),
	       atomic_load(&total_taken), frees);
	int bad = atomic_load(&failures) != 0;
	if (a != f) {
		fprintf(stderr, "FAIL: %llu blocks allocated, %llu freed\n", a, f);
		bad = 1;
	}
	if (atomic_load(&total_handed) != atomic_load(&total_taken) + frees) {
		fprintf(stderr, "FAIL: %llu handed over, %llu taken + %llu drained\n",
			atomic_load(&total_handed), atomic_load(&total_taken), frees);
		bad = 1;
	}
	if (after.uordblks != before.uordblks || after.hblks != before.hblks ||
	    after.hblkhd != before.hblkhd) {
		fprintf(stderr, "FAIL: heapscope still counts blocks in use: uordblks %zu -> %zu, "
				"hblks %zu -> %zu, hblkhd %zu -> %zu\n",
			before.uordblks, after.uordblks, before.hblks, after.hblks, before.hblkhd,
			after.hblkhd);
		bad = 1;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	printf("CPU time %.2f s (budget %.0f s: 60 s on 2 cores)\n", cpu, CPU_BUDGET_S);
	if (cpu > CPU_BUDGET_S) {
		fprintf(stderr, "FAIL: %.2f s of CPU, would not finish within 60 s on 2 cores\n", cpu);
		bad = 1;
	}
	if (a < (unsigned long long)ops_per_thread * NTHREADS / 4) {
		fprintf(stderr, "FAIL: only %llu allocations\n", a);
		bad = 1;
	}
	if (bad)
		fprintf(stderr, "%d check(s) failed\n", atomic_load(&failures));
	return bad;
}
