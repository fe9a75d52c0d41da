/* vaddr_main.c — allocates once through vaddr_lib.c's library. */
#include <stdlib.h>

void *vaddr_alloc(void);

int main(void)
{
	free(vaddr_alloc());
	return 0;
}
