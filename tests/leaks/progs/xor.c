/* Scenario 8: a pointer kept only XORed with a constant: the scan cannot
 * see it, the block is definitely lost (as it would be for valgrind). */
#include <stdint.h>
#include <stdlib.h>

#include "leaktest.h"

static uintptr_t g_hidden;

__attribute__((noinline)) static void hide(void)
{
	char *p = malloc(72); /* @xor */
	p[0] = 1;
	g_hidden = (uintptr_t)p ^ (uintptr_t)0xa5a5a5a5a5a5a5a5ull;
}

int main(void)
{
	hide();
	lt_scrub_stack();
	/* the pointer is still recoverable: it is the scan that cannot see it */
	char *p = (char *)(g_hidden ^ (uintptr_t)0xa5a5a5a5a5a5a5a5ull);
	int ok = p[0] == 1;
	p = NULL;
	lt_scrub_stack();
	return ok ? 0 : 1;
}
