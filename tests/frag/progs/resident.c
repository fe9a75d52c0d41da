/* resident.c — known resident heap at exit for frag.resident: one 20 MiB
 * block (a large block, a mapping of its own) of which the first 12 MiB are
 * written, and 4096 blocks of 1000 bytes (the 1024-byte slab class, also
 * with detect's canary byte: 4 MiB of slab pages), each written whole. All
 * stay live. The run lasts over 20 ms, so that the snapshot at exit reads
 * resident sizes. Built twice: with -DCONTROL nothing is allocated, so that
 * the checker can subtract what the process has besides (libc's blocks,
 * heapscope's own memory).
 *
 * Resident heap at exit, minus the control's: 12 MiB + 4 MiB. Before the
 * resident sizes were cut by the heap's ranges, a merged mapping put the
 * slab pages under "heapscope" and the large block under "anon". */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LARGE (20u << 20)
#define TOUCHED (12u << 20)
#define SMALL 1000
#define NSMALL 4096

int main(void)
{
#ifndef CONTROL
	static void *keep[NSMALL + 1];
	char *big = malloc(LARGE);
	if (!big)
		return 1;
	memset(big, 1, TOUCHED);
	keep[NSMALL] = big;
	for (int i = 0; i < NSMALL; i++) {
		keep[i] = malloc(SMALL);
		if (!keep[i])
			return 1;
		memset(keep[i], 2, SMALL);
	}
#endif
	usleep(40000);
	return 0;
}
