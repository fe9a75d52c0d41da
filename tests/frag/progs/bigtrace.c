/* bigtrace.c — PAIRS (argv[1], default 5000000) malloc/free pairs for
 * tests/frag/bigtrace.sh: each step frees the block in a pseudo-random slot
 * of a 4096-slot window and allocates a new one there, so the trace holds
 * 2 × PAIRS events and about 4096 blocks stay live throughout. Sizes come
 * from a fixed LCG: mostly 16..1 KiB, one in 16 up to 16 KiB, one in 256 up
 * to 64 KiB. Everything is freed at the end (those frees add 4096 events). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint32_t next(void)
{
	state = state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(state >> 33);
}

int main(int argc, char **argv)
{
	long pairs = argc > 1 ? atol(argv[1]) : 5000000;
	static void *slot[SLOTS];
	for (long i = 0; i < pairs; i++) {
		uint32_t r = next();
		unsigned j = r % SLOTS;
		size_t size;
		if ((r >> 12) % 256 == 0)
			size = 16 + next() % 65536;
		else if ((r >> 12) % 16 == 0)
			size = 16 + next() % 16384;
		else
			size = 16 + next() % 1024;
		free(slot[j]); /* free(NULL) for the first use of a slot: not traced */
		slot[j] = malloc(size);
		if (slot[j])
			memset(slot[j], (int)i, 1);
	}
	for (unsigned j = 0; j < SLOTS; j++)
		free(slot[j]);
	return 0;
}
