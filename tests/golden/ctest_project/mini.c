#include "mini.h"

#include <stdlib.h>
#include <string.h>

void *volatile mini_sink;

void *mini_buffer(size_t n)
{
	void *p = malloc(n); /* SITE_LIB */
	mini_sink = p;
	memset(p, 1, n);
	return p;
}
