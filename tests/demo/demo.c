/* demo.c — the program scripts/run runs when none is named: a small
 * allocation-heavy workload with a pattern worth looking at (many small
 * strings, a growing array, a few page-sized buffers, one 66 KiB block that
 * wastes half of a 128 KiB buddy block) and one deliberate leak. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
	struct node *next;
	char name[24];
};

static struct node *make_list(int n)
{
	struct node *head = NULL;
	for (int i = 0; i < n; i++) {
		struct node *x = malloc(sizeof *x);
		snprintf(x->name, sizeof x->name, "node-%d", i);
		x->next = head;
		head = x;
	}
	return head;
}

static void free_list(struct node *l)
{
	while (l) {
		struct node *next = l->next;
		free(l);
		l = next;
	}
}

int main(void)
{
	size_t cap = 16, len = 0;
	int *grow = malloc(cap * sizeof *grow);
	for (int i = 0; i < 100000; i++) {
		if (len == cap)
			grow = realloc(grow, (cap *= 2) * sizeof *grow);
		grow[len++] = i;
	}
	struct node *l = make_list(50000);
	char *pages[64];
	for (int i = 0; i < 64; i++)
		pages[i] = calloc(1, 4096 * (size_t)(1 + i % 8));
	char *odd = malloc(66 * 1024);
	memset(odd, 1, 66 * 1024);
	free_list(l);
	for (int i = 0; i < 64; i += 2)
		free(pages[i]);
	char *leak = strdup("this string is never freed");
	printf("demo: %zu ints, last %d, leak at %p\n", len, grow[len - 1], (void *)leak);
	for (int i = 1; i < 64; i += 2)
		free(pages[i]);
	free(odd);
	free(grow);
	return 0;
}
