/* sites.c — allocation sites with known counts, sizes and lines.
 *
 * The checker finds every expected line by its marker comment (SITE_x: the
 * allocation call, CALL_x: the call in the caller), so the source can be
 * edited freely. The program prints nothing and uses no stdio, so the C
 * library allocates nothing on its own after heapscope starts recording:
 * every allocation in the trace is one of these, and the heap totals are
 * exact. Every block is live at the same time before anything is freed,
 * so the peak is the sum of all of them.
 *
 *   A  alloc_small   1000 x 48 B
 *   B  alloc_pages     10 x 4096 B
 *   C  alloc_huge       3 x 2 MiB
 *   I  grab (always_inline, in alloc_inline)   5 x 320 B
 *   L  alloc_leak       1 x 100 B, never freed
 *
 * GOLDEN_NOIPA (golden_prog.h) keeps each function a frame of its own, and
 * its loop counts (arguments) unknown, so no loop is unrolled; the volatile
 * sink keeps the allocation calls from being tail calls or optimised away.
 */
#include <stdlib.h>
#include <string.h>

#include "golden_prog.h"

#define N_A 1000
#define N_B 10
#define N_C 3
#define N_I 5

void *volatile hs_sink;

GOLDEN_NOIPA void alloc_small(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc(48); /* SITE_A */
		hs_sink = v[i];
	}
}

GOLDEN_NOIPA void alloc_pages(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc(4096); /* SITE_B */
		memset(v[i], i, 4096);
	}
}

GOLDEN_NOIPA void alloc_huge(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc((size_t)2 << 20); /* SITE_C */
		memset(v[i], 0x5a, 4096);
	}
}

static inline __attribute__((always_inline)) void *grab(size_t n)
{
	void *p = malloc(n); /* SITE_I */
	hs_sink = p;
	return p;
}

GOLDEN_NOIPA void alloc_inline(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = grab(320); /* CALL_IC */
		hs_sink = 0;
	}
}

GOLDEN_NOIPA void *alloc_leak(void)
{
	void *p = malloc(100); /* SITE_L */
	hs_sink = p;
	return p;
}

GOLDEN_NOIPA void release(void **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
}

int main(void)
{
	static void *a[N_A], *b[N_B], *c[N_C], *in[N_I];
	alloc_small(a, N_A); /* CALL_A */
	alloc_pages(b, N_B); /* CALL_B */
	alloc_huge(c, N_C); /* CALL_C */
	alloc_inline(in, N_I); /* CALL_I */
	hs_sink = alloc_leak(); /* CALL_L */
	release(a, N_A);
	release(b, N_B);
	release(c, N_C);
	release(in, N_I);
	return 0;
}
