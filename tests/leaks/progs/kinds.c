/* Scenario 19 (SARIF): one record of every kind. A 24-byte definite leak,
 * a 3-node list (1 definite + 2 indirect, 32 bytes each), a block only
 * pointed into (possible) and one kept in a global (reachable). */
#include <stdlib.h>

#include "leaktest.h"

struct node {
	struct node *next;
	char payload[24];
};

static char *g_inside, *g_keep;

__attribute__((noinline)) static void kinds_definite(void)
{
	char *p = malloc(24); /* @kinds_definite */
	p[0] = 1;
}

__attribute__((noinline)) static void kinds_list(void)
{
	struct node *head = NULL;
	for (int i = 0; i < 3; i++) {
		struct node *n = malloc(sizeof *n); /* @kinds_list */
		n->next = head;
		head = n;
	}
}

__attribute__((noinline)) static void kinds_kept(void)
{
	char *p = malloc(128); /* @kinds_possible */
	g_inside = p + 64;
	g_keep = malloc(16); /* @kinds_reachable */
}

int main(void)
{
	kinds_definite();
	kinds_list();
	kinds_kept();
	lt_scrub_stack();
	return g_inside && g_keep ? 0 : 1;
}
