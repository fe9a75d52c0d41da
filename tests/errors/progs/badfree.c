/* badfree.c — frees heapscope must refuse, report and survive.
 * usage: badfree double|second|late|stack|interior|realloc
 *   double    the same block freed twice (in free_twice, which suppression
 *             tests name)
 *   thrice    three blocks each freed twice, all at the same place
 *   second    the same, of the thread's second block (under sample:N an
 *             unsampled one: not quarantined, so where it was freed is
 *             not recorded)
 *   late      a block freed, 64 MiB freed after it (the quarantine has let
 *             it go: a guarded one's slot is released), then freed again
 *   stack     free of a local array
 *   interior  free of p + 8 for a 64-byte block, then the right free
 *   realloc   realloc of a block already freed
 * Each returns 0: a bad free is reported and ignored, so the program goes on
 * (and prints "still running" to show it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void free_twice(char *p)
{
	char *volatile q = p;
	free(q); /* @free1 */
	free(q); /* @free2 */
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *m = argv[1];
	if (!strcmp(m, "double")) {
		char *p = malloc(24); /* @alloc_double */
		free_twice(p);
	} else if (!strcmp(m, "thrice")) {
		for (int i = 0; i < 3; i++)
			free_twice(malloc(24));
	} else if (!strcmp(m, "second")) {
		char *volatile first = malloc(24); /* the thread's sampled block */
		char *p = malloc(24); /* @alloc_second */
		free_twice(p);
		free(first);
	} else if (!strcmp(m, "late")) {
		char *volatile p = malloc(24); /* @alloc_late */
		free(p); /* @free1_late */
		for (int i = 0; i < 640; i++)
			free(malloc(100000));
		free(p); /* @free2_late */
	} else if (!strcmp(m, "stack")) {
		char buf[16];
		char *volatile q = buf;
		memset(buf, 0, sizeof buf);
		free(q); /* @free_stack */
	} else if (!strcmp(m, "interior")) {
		char *volatile p = malloc(64); /* @alloc_interior */
		free(p + 8); /* @free_interior */
		free(p);
	} else if (!strcmp(m, "realloc")) {
		char *volatile p = malloc(24); /* @alloc_realloc */
		free(p); /* @free_realloc */
		char *volatile q = realloc(p, 48); /* @realloc */
		if (q)
			free(q);
	} else {
		return 2;
	}
	printf("still running\n");
	return 0;
}
