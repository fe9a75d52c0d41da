/* Scenario 3: leaked cycles. A ring of 5 nodes of 48 bytes and a pair of
 * 64-byte blocks pointing at each other: each cycle has exactly one
 * definitely lost block, the rest are indirectly lost. */
#include <stdlib.h>

#include "leaktest.h"

struct ring {
	struct ring *next;
	char payload[40];
};

struct pair {
	struct pair *other;
	char payload[56];
};

__attribute__((noinline)) static void leak_ring(void)
{
	struct ring *first = NULL, *prev = NULL;
	for (int i = 0; i < 5; i++) {
		struct ring *r = malloc(sizeof *r); /* @ring_node */
		memset(r->payload, i, sizeof r->payload);
		if (prev)
			prev->next = r;
		else
			first = r;
		prev = r;
	}
	prev->next = first;
	first = prev = NULL;
}

__attribute__((noinline)) static void leak_pair(void)
{
	struct pair *a = malloc(sizeof *a); /* @pair_a */
	struct pair *b = malloc(sizeof *b); /* @pair_b */
	a->other = b;
	b->other = a;
	a = b = NULL;
}

int main(void)
{
	leak_ring();
	leak_pair();
	lt_scrub_stack();
	return 0;
}
