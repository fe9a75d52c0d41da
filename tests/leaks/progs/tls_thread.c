/* Scenario 5: a block whose only pointer is in a __thread variable of a
 * thread that is still alive (blocked in read) when the process exits: the
 * scan must treat that thread's TLS as a root, so the block is reachable.
 * The same thread also drops a block: definitely lost. */
#include <pthread.h>
#include <stdlib.h>

#include "leaktest.h"

static __thread char *tls_block;
static int ready[2], never[2];

__attribute__((noinline)) static void fill_tls(void)
{
	tls_block = malloc(300); /* @tls_block */
	tls_block[0] = 1;
}

__attribute__((noinline)) static void drop_one(void)
{
	char *p = malloc(33); /* @tls_lost */
	p[0] = 1;
}

static void *worker(void *arg)
{
	(void)arg;
	fill_tls();
	drop_one();
	lt_scrub_stack();
	char c = 1;
	if (write(ready[1], &c, 1) != 1)
		abort();
	for (;;)
		if (read(never[0], &c, 1) <= 0)
			pause();
	return NULL;
}

int main(void)
{
	if (pipe(ready) || pipe(never))
		return 1;
	pthread_t t;
	if (pthread_create(&t, NULL, worker, NULL))
		return 1;
	char c;
	if (read(ready[0], &c, 1) != 1)
		return 1;
	lt_scrub_stack();
	return 0; /* the worker is still blocked in read() */
}
