/* Scenarios 16, 17: two leaks from two functions; the suppression files
 * name one of them. */
#include <stdlib.h>

#include "leaktest.h"

__attribute__((noinline)) static void supp_leaking_function(void)
{
	for (int i = 0; i < 2; i++) {
		char *p = malloc(40); /* @supp_hidden */
		p[0] = 1;
	}
}

__attribute__((noinline)) static void kept_visible_function(void)
{
	char *p = calloc(1, 24); /* @supp_shown */
	p[0] = 1;
}

int main(void)
{
	supp_leaking_function();
	kept_visible_function();
	lt_scrub_stack();
	return 0;
}
