/* slab.c — one size class only: 1000 blocks of 64 bytes, all live at exit
 * (reachable through `keep`). Nothing else allocates: no stdio. */
#include <stdlib.h>

#define COUNT 1000
#define SIZE 64

void *keep[COUNT];

int main(void)
{
	for (int i = 0; i < COUNT; i++) {
		keep[i] = malloc(SIZE); /* @slab_alloc */
		if (!keep[i])
			return 1;
		*(char *)keep[i] = (char)i;
	}
	return 0;
}
