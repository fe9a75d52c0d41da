/* Scenario 6: a block whose only pointer is a local variable of another
 * thread, blocked in read() when the process exits: reachable from that
 * thread's stack. The thread also drops a block: definitely lost. */
#include <pthread.h>
#include <stdlib.h>

#include "leaktest.h"

static int ready[2], never[2];

__attribute__((noinline)) static void drop_one(void)
{
	char *p = malloc(44); /* @stack_lost */
	p[0] = 1;
}

__attribute__((noinline)) static void hold_and_block(void)
{
	char *volatile local = malloc(400); /* @stack_block */
	local[0] = 1;
	drop_one();
	lt_scrub_stack();
	char c = 1;
	if (write(ready[1], &c, 1) != 1)
		abort();
	for (;;)
		if (read(never[0], &c, 1) <= 0)
			pause();
	local[1] = 2;
}

static void *worker(void *arg)
{
	(void)arg;
	hold_and_block();
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
	return 0;
}
