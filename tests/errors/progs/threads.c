/* threads.c — four threads each own a 64-byte block; once all four hold
 * theirs, thread 2 writes one byte past its block (64 is a multiple of 16:
 * the byte past the end is on the guard page). The other threads wait on a
 * second barrier, so they are alive when the fault happens. If the write
 * did not fault, every thread passes the second barrier and the program
 * exits 0 — which the test treats as a failure. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define NT 4
#define BAD 2

static pthread_barrier_t ready, done;

static void *worker(void *arg)
{
	long k = (long)arg;
	char *volatile p = malloc(64); /* @alloc */
	if (!p)
		abort();
	memset(p, 'a', 64);
	pthread_barrier_wait(&ready);
	if (k == BAD)
		p[64] = 'x'; /* @overflow */
	pthread_barrier_wait(&done);
	free(p);
	return NULL;
}

int main(void)
{
	pthread_t t[NT];
	pthread_barrier_init(&ready, NULL, NT);
	pthread_barrier_init(&done, NULL, NT);
	for (long i = 0; i < NT; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i) != 0)
			return 3;
	for (int i = 0; i < NT; i++)
		pthread_join(t[i], NULL);
	return 0;
}
