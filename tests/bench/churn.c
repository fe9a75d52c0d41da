/* churn.c — allocation churn benchmark: each thread keeps a working set of
 * live blocks and replaces a random one per step (one free + one malloc),
 * writing into every page of each new block.
 *
 *   hs_bench_churn [-t THREADS] [-n PAIRS] [-w LIVE] [-l LARGE_PERCENT]
 *
 * PAIRS is the total number of malloc/free pairs, split evenly between the
 * threads (so the work is the same for any thread count); LIVE is the
 * working set per thread. Sizes are uniform in 8..512 bytes; with -l P, P
 * percent of the allocations are uniform in 1..64 KiB instead. Everything is
 * freed at the end. Prints one summary line (deterministic for given
 * arguments).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct job {
	unsigned id;
	uint64_t pairs;
	size_t live;
	unsigned large_pct;
	uint64_t bytes; /* result: total bytes allocated */
	int failed;
};

static uint64_t next_rand(uint64_t *s)
{
	/* xorshift64* */
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static size_t pick_size(uint64_t *s, unsigned large_pct)
{
	uint64_t r = next_rand(s);
	if (large_pct && (r >> 32) % 100 < large_pct)
		return 1024 + (size_t)(r % (63 * 1024 + 1));
	return 8 + (size_t)(r % 505);
}

static char *fill(size_t size, uint64_t tag)
{
	char *p = malloc(size);
	if (!p)
		return NULL;
	/* touch every page, and both ends */
	for (size_t off = 0; off < size; off += 4096)
		p[off] = (char)tag;
	p[size - 1] = (char)(tag >> 8);
	return p;
}

/* A new block of a random size in slot i; -1 (job failed) if malloc did. */
static int refill(struct job *j, char **slot, size_t *size, size_t i, uint64_t *seed)
{
	size[i] = pick_size(seed, j->large_pct);
	slot[i] = fill(size[i], i);
	if (!slot[i]) {
		j->failed = 1;
		return -1;
	}
	j->bytes += size[i];
	return 0;
}

static void *run(void *arg)
{
	struct job *j = arg;
	uint64_t seed = 0x9E3779B97F4A7C15ULL * (j->id + 1);
	char **slot = calloc(j->live, sizeof *slot);
	size_t *size = calloc(j->live, sizeof *size);
	if (!slot || !size) {
		j->failed = 1;
		return NULL;
	}
	for (size_t i = 0; i < j->live; i++)
		if (refill(j, slot, size, i, &seed) != 0)
			return NULL;
	for (uint64_t n = 0; n < j->pairs; n++) {
		size_t i = (size_t)(next_rand(&seed) % j->live);
		/* the block must still hold what fill() wrote into it */
		if (slot[i][0] != (char)i || slot[i][size[i] - 1] != (char)(i >> 8))
			j->failed = 1;
		free(slot[i]);
		if (refill(j, slot, size, i, &seed) != 0)
			return NULL;
	}
	for (size_t i = 0; i < j->live; i++)
		free(slot[i]);
	free(slot);
	free(size);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned threads = 1, large_pct = 0;
	uint64_t pairs = 1000000;
	size_t live = 10000;
	int c;
	while ((c = getopt(argc, argv, "t:n:w:l:")) != -1) {
		switch (c) {
		case 't': threads = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'n': pairs = strtoull(optarg, NULL, 0); break;
		case 'w': live = (size_t)strtoull(optarg, NULL, 0); break;
		case 'l': large_pct = (unsigned)strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: %s [-t THREADS] [-n PAIRS] [-w LIVE] [-l LARGE_PERCENT]\n", argv[0]);
			return 2;
		}
	}
	if (threads < 1 || threads > 256 || live < 1 || large_pct > 100) {
		fprintf(stderr, "%s: bad arguments\n", argv[0]);
		return 2;
	}
	struct job *jobs = calloc(threads, sizeof *jobs);
	pthread_t *tids = calloc(threads, sizeof *tids);
	if (!jobs || !tids)
		return 1;
	for (unsigned t = 0; t < threads; t++) {
		jobs[t].id = t;
		jobs[t].pairs = pairs / threads + (t < pairs % threads);
		jobs[t].live = live;
		jobs[t].large_pct = large_pct;
	}
	if (threads == 1) {
		run(&jobs[0]);
	} else {
		for (unsigned t = 0; t < threads; t++)
			if (pthread_create(&tids[t], NULL, run, &jobs[t]) != 0) {
				fprintf(stderr, "%s: pthread_create failed\n", argv[0]);
				return 1;
			}
		for (unsigned t = 0; t < threads; t++)
			pthread_join(tids[t], NULL);
	}
	uint64_t bytes = 0;
	int failed = 0;
	for (unsigned t = 0; t < threads; t++) {
		bytes += jobs[t].bytes;
		failed |= jobs[t].failed;
	}
	printf("churn: threads %u, pairs %llu, live %zu/thread, large %u%%, %llu bytes allocated%s\n", threads,
	       (unsigned long long)pairs, live, large_pct, (unsigned long long)bytes,
	       failed ? ", FAILED" : "");
	free(jobs);
	free(tids);
	return failed;
}
