/* vaddr_lib.c — a shared library linked to load its first segment at
 * 0x10000000 (as prelinked or -Ttext-segment libraries are), not at 0. */
#include <stdlib.h>

__attribute__((noinline)) void *vaddr_alloc(void)
{
	return malloc(77); /* VADDR_SITE */
}
