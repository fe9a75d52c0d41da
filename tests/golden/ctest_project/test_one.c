/* 9 x 1234 B through the library (SITE_LIB), freed. */
#include <stdlib.h>

#include "mini.h"

int main(void)
{
	for (int i = 0; i < 9; i++) {
		void *p = mini_buffer(1234); /* CALL_ONE */
		free(p);
	}
	return 0;
}
