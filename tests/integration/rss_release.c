/* rss_release.c — "freed memory goes back to the OS", run under LD_PRELOAD.
 *
 * Allocates 200 MiB (64 MiB in 64 KiB buddy blocks, 64 MiB in 512 KiB buddy
 * blocks, 64 MiB in 2 MiB own-mapping blocks, 8 MiB in 16-byte slab
 * objects), interleaved so slabs and buddy blocks share heap chunks,
 * touches every byte, frees everything, and — calling nothing else in
 * between — reads VmRSS. Then malloc_trim(0) must give back more.
 *
 * What heapscope keeps by design once everything is free, and so the
 * threshold (RESIDUAL_KIB):
 *   retain_chunks = 4 dirty free 1 MiB chunks ...................... 4 MiB
 *   page map: 32 B per 4 KiB heap page ever committed (~140 MiB of
 *     heap here, the 2 MiB blocks are not in it) ................... ~1.1 MiB
 *   one empty slab kept per class, and at most 64 free 16-byte objects
 *     in this thread's magazine: from the last ≤ 2 slabs freed, each
 *     pinning the dirty remainder of its 1 MiB chunk ............... ≤ 2 MiB
 *   internal arena bookkeeping that is not per block ............... < 1 MiB
 *   slack for the measurement itself (stack, /proc read) ........... 2 MiB
 * Total 10 MiB above the baseline taken before the allocations. Anything
 * proportional to the 200 MiB freed (blocks, or metadata kept per block
 * freed) breaks it. After malloc_trim(0) the 4 retained chunks must be gone
 * too: RSS drops by at least RETAIN_KIB - 1 MiB more.
 * The pointer arrays are mmap'd and unmapped before measuring, so they do
 * not count.
 *
 * `rss_release blocks` runs the same without the 16-byte objects (192 MiB),
 * which isolates the buddy and own-mapping tiers from the slab tier's
 * per-slab metadata.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hs_testutil.h"

#define MiB HST_MIB
#define KiB HST_KIB

#define N64K 1024	/* × 64 KiB  = 64 MiB */
#define N512K 128	/* × 512 KiB = 64 MiB */
#define N2M 32		/* × 2 MiB   = 64 MiB */
#define N16 524288	/* × 16 B    =  8 MiB (mode "mixed") */

#define RESIDUAL_KIB (10 * 1024L)
#define RETAIN_KIB (4 * 1024L)

static void *map_array(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return p;
}

static void *must_malloc(size_t n)
{
	void *p = malloc(n);
	if (!p || malloc_usable_size(p) != hst_usable_for(n)) {
		fprintf(stderr, "malloc(%zu) = %p, usable %zu: not a heapscope block\n", n, p,
			p ? malloc_usable_size(p) : 0);
		exit(1);
	}
	memset(p, 0x5C, n); /* touch every byte */
	return p;
}

int main(int argc, char **argv)
{
	hst_require_preload();
	int with_small = !(argc > 1 && strcmp(argv[1], "blocks") == 0);
	size_t small_per_step = with_small ? N16 / N64K : 0;
	/* Warm up: initialise the allocator and fault in this code's pages. */
	free(must_malloc(16));
	free(must_malloc(64 * KiB));
	long base = hst_vmrss_kib();

	void **p64k = map_array(N64K * sizeof(void *));
	void **p512k = map_array(N512K * sizeof(void *));
	void **p2m = map_array(N2M * sizeof(void *));
	void **p16 = map_array(N16 * sizeof(void *));

	size_t i512 = 0, i2m = 0, i16 = 0;
	for (size_t s = 0; s < N64K; s++) {
		p64k[s] = must_malloc(64 * KiB);
		if (s % (N64K / N512K) == 0)
			p512k[i512++] = must_malloc(512 * KiB);
		if (s % (N64K / N2M) == 0)
			p2m[i2m++] = must_malloc(2 * MiB);
		for (size_t k = 0; k < small_per_step; k++)
			p16[i16++] = must_malloc(16);
	}
	long peak = hst_vmrss_kib();

	/* Free in allocation order. */
	i512 = i2m = i16 = 0;
	for (size_t s = 0; s < N64K; s++) {
		free(p64k[s]);
		if (s % (N64K / N512K) == 0)
			free(p512k[i512++]);
		if (s % (N64K / N2M) == 0)
			free(p2m[i2m++]);
		for (size_t k = 0; k < small_per_step; k++)
			free(p16[i16++]);
	}
	munmap(p64k, N64K * sizeof(void *));
	munmap(p512k, N512K * sizeof(void *));
	munmap(p2m, N2M * sizeof(void *));
	munmap(p16, N16 * sizeof(void *));
	long after_free = hst_vmrss_kib();

	int trimmed = malloc_trim(0);
	long after_trim = hst_vmrss_kib();

	printf("%s: VmRSS kB: baseline %ld, peak %ld (+%ld), after free %ld (+%ld), "
	       "after malloc_trim(0)=%d %ld (+%ld)\n",
	       with_small ? "64K+512K+2M+16B blocks" : "64K+512K+2M blocks", base, peak,
	       peak - base, after_free, after_free - base, trimmed, after_trim, after_trim - base);
	fflush(stdout);

	int bad = 0;
	if (base <= 0 || peak <= 0 || after_free <= 0 || after_trim <= 0) {
		fprintf(stderr, "cannot read VmRSS\n");
		return 1;
	}
	long touched = with_small ? 200 * 1024L : 192 * 1024L;
	if (peak - base < touched) {
		fprintf(stderr, "FAIL: peak only %ld kB above baseline; %ld kB were touched\n",
			peak - base, touched);
		bad = 1;
	}
	if (after_free - base > RESIDUAL_KIB) {
		fprintf(stderr, "FAIL: %ld kB still resident after freeing everything "
				"(allowed %ld kB above baseline)\n",
			after_free - base, RESIDUAL_KIB);
		bad = 1;
	}
	if (trimmed != 1) {
		fprintf(stderr, "FAIL: malloc_trim(0) = %d, want 1 (retained chunks released)\n",
			trimmed);
		bad = 1;
	}
	if (after_free - after_trim < RETAIN_KIB - 1024) {
		fprintf(stderr, "FAIL: malloc_trim(0) gave back only %ld kB, want >= %ld kB "
				"(the %ld kB of retained chunks)\n",
			after_free - after_trim, RETAIN_KIB - 1024, RETAIN_KIB);
		bad = 1;
	}
	if (bad) {
		fprintf(stderr, "allocator state after malloc_trim:\n");
		malloc_stats();
	}
	return bad;
}
