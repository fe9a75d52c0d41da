/* timeline.c — a clear heap peak: 10 small blocks kept, then 10 MiB from
 * one site, freed 100 ms later; 100 ms after that, 1000 small blocks come
 * and go. The peak is 10 MiB + 10 × 100 bytes, all of the 10 MiB from the
 * line marked peak_alloc. No stdio. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BIG (10u << 20)

void *small[10];

static void pause_ms(long ms)
{
	struct timespec ts = {0, ms * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

int main(void)
{
	for (int i = 0; i < 10; i++)
		small[i] = malloc(100); /* @small_alloc */
	char *big = malloc(BIG); /* @peak_alloc */
	if (!big)
		return 1;
	memset(big, 1, BIG);
	pause_ms(100);
	free(big);
	pause_ms(100);
	for (int i = 0; i < 1000; i++) {
		void *p = malloc(64); /* @churn_alloc */
		free(p);
	}
	return 0;
}
