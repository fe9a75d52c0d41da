/* Scenario 18: the gate. `gate N STATUS [new|keep]` leaks N blocks of 32
 * bytes from one site, with "new" also one block of 48 bytes from another,
 * and exits with STATUS; with "keep" the N blocks stay reachable (kept in
 * a global) instead. */
#include <stdlib.h>

#include "leaktest.h"

static char *g_kept[64];
static int keep, nkept;

__attribute__((noinline)) static void gate_old_leak(void)
{
	char *p = malloc(32); /* @gate_old */
	p[0] = 1;
	if (keep && nkept < 64)
		g_kept[nkept++] = p;
}

__attribute__((noinline)) static void gate_new_leak(void)
{
	char *p = malloc(48); /* @gate_new */
	p[0] = 1;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int n = atoi(argv[1]);
	keep = argc > 3 && !strcmp(argv[3], "keep");
	for (int i = 0; i < n; i++)
		gate_old_leak();
	if (argc > 3 && !strcmp(argv[3], "new"))
		gate_new_leak();
	lt_scrub_stack();
	return atoi(argv[2]) + (g_kept[0] && nkept > 64);
}
