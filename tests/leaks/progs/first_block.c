/* Regression: the very first block of the process (here a 4321-byte one,
 * which lands at the start of heapscope's heap), lost. It must be
 * definitely lost like any other: nothing of heapscope's own may count as
 * a pointer to it. */
#include <stdlib.h>
#include <string.h>

#include "leaktest.h"

__attribute__((noinline)) static void lose_first(void)
{
	char *p = malloc(4321); /* @first_block */
	memset(p, 1, 4321);
	p = NULL;
}

int main(void)
{
	lose_first();
	lt_scrub_stack();
	return 0;
}
