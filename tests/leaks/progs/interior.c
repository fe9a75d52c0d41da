/* Scenario 7: the only pointer to a 256-byte block points 100 bytes into
 * it: possibly lost. A block kept by its start address is reachable. */
#include <stdlib.h>

#include "leaktest.h"

static char *g_inside;
static char *g_start;

__attribute__((noinline)) static void keep(void)
{
	char *p = malloc(256); /* @interior */
	g_inside = p + 100;
	g_start = malloc(64); /* @interior_start */
}

int main(void)
{
	keep();
	lt_scrub_stack();
	return g_inside && g_start ? 0 : 1;
}
