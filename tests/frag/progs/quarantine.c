/* quarantine.c — freed blocks must not count as live in the allocator
 * snapshots. 1000 blocks of 64 bytes are kept; then 500 more are each
 * allocated and freed at once (the program never holds more than
 * 1000 × 64 + 64 bytes); 150 ms later (a snapshot is due: snapshot_ms is
 * 100) one more 64-byte block is allocated and kept, so the snapshot taken
 * in that malloc sees 1000 live blocks, and the one at exit 1001. With
 * detect=1 the 500 freed blocks sit in the quarantine meanwhile. No stdio. */
#include <stdlib.h>
#include <time.h>

#define KEEP 1000
#define CHURN 500
#define SIZE 64

void *keep[KEEP + 1];

int main(void)
{
	for (int i = 0; i < KEEP; i++)
		keep[i] = malloc(SIZE);
	for (int i = 0; i < CHURN; i++) {
		void *p = malloc(SIZE);
		free(p);
	}
	struct timespec ts = {0, 150 * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
	keep[KEEP] = malloc(SIZE);
	return 0;
}
