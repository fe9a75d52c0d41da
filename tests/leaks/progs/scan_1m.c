/* scan_1m.c — a million live 32-byte blocks for timing the leak scan
 * (tests/leaks/scan_1m.sh): 250 000 reachable from a global array,
 * 250 000 reachable as a list from a global, 250 000 lost one by one
 * (definite) and 250 000 lost as 25 000 chains of 10 (1 definite + 9
 * indirect each). Prints the time of an on-demand check, then, from an
 * atexit handler (which runs before heapscope's exit scan), the
 * CLOCK_MONOTONIC time at which the exit path starts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <heapscope/heapscope.h>

#include "leaktest.h"

#define QUARTER 250000

struct node {
	struct node *next;
	uintptr_t pad[3];
};

static struct node **g_array;
static struct node *g_list;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void at_exit(void)
{
	lt_say("atexit %.6f\n", now());
}

__attribute__((noinline)) static void build(void)
{
	g_array = malloc(QUARTER * sizeof *g_array);
	for (int i = 0; i < QUARTER; i++) {
		/* interleave kept and lost blocks so they share slabs */
		g_array[i] = calloc(1, sizeof(struct node));
		struct node *n = calloc(1, sizeof *n);
		n->next = g_list;
		g_list = n;
		struct node *lost = calloc(1, sizeof *lost);
		lost->pad[0] = 1;
		lost = NULL;
		if (i % 10 == 0) {
			struct node *head = NULL;
			for (int k = 0; k < 10; k++) {
				struct node *c = calloc(1, sizeof *c);
				c->next = head;
				head = c;
			}
			head = NULL;
		}
	}
}

int main(void)
{
	build();
	lt_scrub_stack();
	double t0 = now();
	int lost = heapscope_check_leaks();
	double t1 = now();
	lt_say("on-demand check: %d lost blocks in %.3f s\n", lost, t1 - t0);
	atexit(at_exit);
	return 0;
}
