/* pow2.c — only 66 KiB blocks: N (5) of them, all live at exit. Each needs
 * an order-5 buddy block (128 KiB), so the power-of-two rounding wastes
 * exactly N × 62 KiB, with or without detect's canary byte (66 KiB + 1
 * still fits 128 KiB). Nothing else allocates: no stdio. */
#include <stdlib.h>
#include <string.h>

#define N 5
#define SIZE (66 * 1024)

void *keep[N];

int main(void)
{
	for (int i = 0; i < N; i++) {
		keep[i] = malloc(SIZE); /* @pow2_alloc */
		if (!keep[i])
			return 1;
		memset(keep[i], i, SIZE);
	}
	return 0;
}
