/* Scenario 11: a leak in a constructor that runs before main. */
#include <stdlib.h>

#include "leaktest.h"

static int ctor_ran;

__attribute__((constructor)) static void early_leak(void)
{
	char *p = malloc(55); /* @ctor */
	p[0] = 1;
	ctor_ran = 1;
	p = NULL;
}

int main(void)
{
	lt_scrub_stack();
	return ctor_ran ? 0 : 1;
}
