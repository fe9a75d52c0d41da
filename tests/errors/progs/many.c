/* many.c — 200 000 live 32-byte blocks at once, more than the guard-page
 * budget (40 % of vm.max_map_count / 2 mappings per block) can cover, then
 * all freed. Nothing is allocated after the frees, so the number of blocks
 * that ever got guard pages equals the peak number of live guarded ones.
 * Prints "done" with write(2) and exits 0. */
#include <stdlib.h>
#include <unistd.h>

#define N 200000

static char *blocks[N];

int main(void)
{
	for (long i = 0; i < N; i++) {
		blocks[i] = malloc(32); /* @alloc */
		if (!blocks[i])
			return 3;
		blocks[i][0] = (char)i;
		blocks[i][31] = (char)i;
	}
	long sum = 0;
	for (long i = 0; i < N; i++)
		sum += blocks[i][0] + blocks[i][31];
	for (long i = 0; i < N; i++)
		free(blocks[i]);
	if (write(1, "done\n", 5) != 5)
		return 4;
	return sum == 12345 ? 5 : 0; /* keeps the reads; 12345 is unreachable */
}
