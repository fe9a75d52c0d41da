/* Scenario 4: blocks whose pointers are kept in globals are still
 * reachable, and so is what they point to; one block is lost for contrast. */
#include <stdlib.h>

#include "leaktest.h"

struct holder {
	struct holder *child;
	char payload[56];
};

static char *g_bss;			      /* .bss */
static struct { int tag; char *p; } g_data = {7, NULL}; /* .data */
struct holder *g_tree;			      /* .bss, exported */

__attribute__((noinline)) static void keep(void)
{
	g_bss = malloc(200);		   /* @global_bss */
	g_data.p = malloc(300);		   /* @global_data */
	g_tree = malloc(sizeof *g_tree);   /* @global_tree */
	g_tree->child = malloc(sizeof *g_tree); /* @global_child */
	g_tree->child->child = NULL;
}

__attribute__((noinline)) static void lose(void)
{
	char *p = malloc(17); /* @global_lost */
	p[0] = 0;
}

int main(void)
{
	keep();
	lose();
	lt_scrub_stack();
	return g_data.tag == 7 ? 0 : 1;
}
