/* Scenario 1: one block of 100 bytes, its only pointer dropped. */
#include <stdlib.h>
#include <string.h>

#include "leaktest.h"

__attribute__((noinline)) static void leak_simple(void)
{
	char *p = malloc(100); /* @simple */
	memset(p, 'x', 100);
	p = NULL;
}

int main(void)
{
	leak_simple();
	lt_scrub_stack();
	return 0;
}
