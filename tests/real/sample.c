/* sample.c — compiled by the gcc case under the preload, then run. Has one
 * deliberate -Wall warning (an unused variable) so gcc's diagnostics are part
 * of the compared stderr. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_BUCKETS 1024

struct entry {
	char *key;
	long value;
	struct entry *next;
};

static struct entry *buckets[N_BUCKETS];

static unsigned long hash(const char *s)
{
	unsigned long h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static void put(const char *key, long value)
{
	unsigned long b = hash(key) % N_BUCKETS;
	for (struct entry *e = buckets[b]; e; e = e->next)
		if (strcmp(e->key, key) == 0) {
			e->value += value;
			return;
		}
	struct entry *e = malloc(sizeof *e);
	e->key = strdup(key);
	e->value = value;
	e->next = buckets[b];
	buckets[b] = e;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a, *y = *(const struct entry *const *)b;
	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return strcmp(x->key, y->key);
}

int main(void)
{
	int unused_on_purpose;
	unsigned long seed = 1;
	char key[32];
	for (int i = 0; i < 200000; i++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		snprintf(key, sizeof key, "k%lu", (seed >> 40) % 5000);
		put(key, (long)((seed >> 20) % 100));
	}
	size_t n = 0;
	for (int b = 0; b < N_BUCKETS; b++)
		for (struct entry *e = buckets[b]; e; e = e->next)
			n++;
	struct entry **all = malloc(n * sizeof *all);
	size_t k = 0;
	for (int b = 0; b < N_BUCKETS; b++)
		for (struct entry *e = buckets[b]; e; e = e->next)
			all[k++] = e;
	qsort(all, n, sizeof *all, cmp_entry);
	double norm = 0;
	for (size_t i = 0; i < n; i++)
		norm += (double)all[i]->value * (double)all[i]->value;
	printf("entries %zu, top %s=%ld, %s=%ld, norm %.3f\n", n, all[0]->key, all[0]->value,
	       all[1]->key, all[1]->value, sqrt(norm));
	for (size_t i = 0; i < n; i++) {
		free(all[i]->key);
		free(all[i]);
	}
	free(all);
	return 0;
}
