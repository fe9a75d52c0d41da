/* null.c — a NULL dereference: read of *p, or write of p->b (address 8).
 * usage: null read|write */
#include <string.h>

struct pair {
	long a, b;
};

int main(int argc, char **argv)
{
	struct pair *volatile p = NULL;
	if (argc > 1 && !strcmp(argv[1], "write")) {
		p->b = 1; /* @write */
	} else {
		volatile long v = p->a; /* @read */
		(void)v;
	}
	return 0;
}
