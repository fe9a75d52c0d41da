/* Scenario: 600 definite leaks of 16 bytes, each from a stack of its own
 * (25 call sites, each reached through 1 to 24 recursive frames): more
 * groups than the exit scan's first group table holds, so it grows twice
 * while blocks are counted into it. */
#include <stdlib.h>

#include "leaktest.h"

#define SITES 25
#define DEPTHS 24

__attribute__((noinline)) static void many_leak(void)
{
	char *p = malloc(16); /* @many_leak */
	p[0] = 1;
}

/* one call instruction per case (-O0): a return address, so a stack, each */
#define C(n)                                                                                                           \
	case n:                                                                                                        \
		many_leak();                                                                                           \
		break;

__attribute__((noinline)) static void many_site(int k)
{
	switch (k) {
		C(0) C(1) C(2) C(3) C(4) C(5) C(6) C(7) C(8) C(9) C(10) C(11) C(12)
		C(13) C(14) C(15) C(16) C(17) C(18) C(19) C(20) C(21) C(22) C(23) C(24)
	}
}

__attribute__((noinline)) static void many_descend(int depth, int k)
{
	if (depth == 0)
		many_site(k);
	else
		many_descend(depth - 1, k);
}

int main(void)
{
	for (int k = 0; k < SITES; k++)
		for (int d = 0; d < DEPTHS; d++)
			many_descend(d, k);
	lt_scrub_stack();
	return 0;
}
