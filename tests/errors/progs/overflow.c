/* overflow.c — one-byte accesses just outside a heap block.
 *
 * usage: overflow SIZE write|read|under|grow [OFFSET [keep|keep2]]
 *   write  p[OFFSET] = 'x'   (OFFSET defaults to SIZE: the first byte past the end)
 *   read   c = p[OFFSET]
 *   under  p[-1] = 'x'      (the last byte before the start)
 *   grow   p = realloc(p, SIZE + 4), then p[SIZE + 4] = 'x'
 * then frees the block — or with `keep` leaves it live, still reachable
 * from a global; `keep2` also overflows a second block, SIZE + 8 bytes, at
 * OFFSET + 8, and keeps both — and exits 0 (unless the access faulted).
 *
 * A 40-byte neighbour is allocated just before the block and freed last, so
 * a fault that heapscope blames on the wrong block shows as such. */
#include <stdlib.h>
#include <string.h>

static char *kept, *kept2;

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	size_t size = strtoul(argv[1], NULL, 10);
	long off = argc > 3 ? strtol(argv[3], NULL, 10) : (long)size;
	char *volatile neighbour = malloc(40); /* @neighbour */
	char *volatile p = malloc(size); /* @alloc */
	if (!p || !neighbour)
		return 3;
	memset(p, 'a', size);
	if (!strcmp(argv[2], "write")) {
		p[off] = 'x'; /* @write */
	} else if (!strcmp(argv[2], "read")) {
		volatile char c = p[off]; /* @read */
		(void)c;
	} else if (!strcmp(argv[2], "under")) {
		p[-1] = 'x'; /* @under */
	} else if (!strcmp(argv[2], "grow")) {
		p = realloc(p, size + 4); /* @grow */
		if (!p)
			return 3;
		p[size + 4] = 'x'; /* @write_grow */
	} else {
		return 2;
	}
	if (argc > 4 && !strcmp(argv[4], "keep")) {
		kept = p;
		free(neighbour);
		return 0;
	}
	if (argc > 4 && !strcmp(argv[4], "keep2")) {
		/* a second block, overflowed the same way, kept as well */
		char *volatile q = malloc(size + 8); /* @alloc2 */
		if (!q)
			return 3;
		q[off + 8] = 'y'; /* @write2 */
		kept = p;
		kept2 = q;
		free(neighbour);
		return 0;
	}
	free(p); /* @free */
	free(neighbour);
	return 0;
}
