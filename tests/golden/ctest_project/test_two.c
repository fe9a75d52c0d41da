/* 6 x 555 B in its own function (SITE_TWO), freed; one buffer from the library. */
#include <stdlib.h>

#include "mini.h"

void *volatile two_sink;

__attribute__((noinline)) static void two_work(void)
{
	for (int i = 0; i < 6; i++) {
		void *p = malloc(555); /* SITE_TWO */
		two_sink = p;
		free(p);
	}
}

int main(void)
{
	two_work();
	free(mini_buffer(77));
	return 0;
}
