/* uaf.c — use after free of a 32-byte block, at offset 8.
 * usage: uaf read|write */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	char *volatile p = malloc(32); /* @alloc */
	if (!p)
		return 3;
	memset(p, 'a', 32);
	free(p); /* @free */
	if (!strcmp(argv[1], "write")) {
		p[8] = 'x'; /* @write */
	} else {
		volatile char c = p[8]; /* @read */
		(void)c;
	}
	return 0;
}
