/* Scenario 14: heapscope_check_leaks() called mid-run returns the number of
 * definitely + indirectly lost blocks at that moment, and the program goes
 * on allocating afterwards. The calls are made as a user would, right after
 * the leaking calls, with no stack scrubbing before them: the scan must not
 * take stale words of its own frames for pointers. */
#include <stdlib.h>

#include <heapscope/heapscope.h>

#include "leaktest.h"

struct node {
	struct node *next;
	long v;
};

static void *g_keep[64];

__attribute__((noinline)) static void lose_chain(int n)
{
	struct node *head = NULL;
	for (int i = 0; i < n; i++) {
		struct node *nd = malloc(sizeof *nd); /* @od_chain */
		nd->next = head;
		nd->v = i;
		head = nd;
	}
	head = NULL;
}

__attribute__((noinline)) static void lose_one(size_t size)
{
	char *p = malloc(size); /* @od_one */
	p[0] = 1;
}

__attribute__((noinline)) static void churn(void)
{
	for (int round = 0; round < 200; round++) {
		for (int i = 0; i < 64; i++)
			g_keep[i] = malloc((size_t)(16 + (i * 37 + round) % 2000));
		for (int i = 0; i < 64; i += 2) {
			free(g_keep[i]);
			g_keep[i] = NULL;
		}
		for (int i = 1; i < 64; i += 2) {
			free(g_keep[i]);
			g_keep[i] = NULL;
		}
	}
}

int main(void)
{
	int c0 = heapscope_check_leaks();
	lose_chain(3); /* 1 definite + 2 indirect @od_first_chain */
	lose_one(40);  /* @od_first_one */
	int c1 = heapscope_check_leaks();
	churn();
	lose_one(40);  /* @od_second_one */
	lose_chain(5); /* 1 definite + 4 indirect @od_second_chain */
	int c2 = heapscope_check_leaks();
	churn();
	for (int i = 0; i < 64; i++)
		g_keep[i] = malloc(24);
	int c3 = heapscope_check_leaks();
	for (int i = 0; i < 64; i++)
		free(g_keep[i]);
	lt_say("c0=%d c1=%d c2=%d c3=%d\n", c0, c1, c2, c3);
	lt_scrub_stack();
	return 0;
}
