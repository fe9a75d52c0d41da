/* livemap.c — see livemap.h. */
#include "livemap.h"

#include <stdlib.h>

static size_t hash(uint64_t a)
{
	a *= 0x9E3779B97F4A7C15ull;
	return (size_t)(a >> 20);
}

void hs_livemap_init(struct hs_livemap *m)
{
	m->slot = NULL;
	m->cap = m->count = 0;
}

void hs_livemap_free(struct hs_livemap *m)
{
	free(m->slot);
	hs_livemap_init(m);
}

static void insert(struct hs_live *slot, size_t cap, const struct hs_live *e)
{
	size_t i = hash(e->addr) & (cap - 1);
	while (slot[i].addr && slot[i].addr != e->addr)
		i = (i + 1) & (cap - 1);
	slot[i] = *e;
}

static int grow(struct hs_livemap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 1024;
	struct hs_live *ns = calloc(ncap, sizeof *ns);
	if (!ns)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].addr)
			insert(ns, ncap, &m->slot[i]);
	free(m->slot);
	m->slot = ns;
	m->cap = ncap;
	return 0;
}

int hs_livemap_put(struct hs_livemap *m, uint64_t addr, uint64_t size, uint32_t stack)
{
	if ((m->count + 1) * 2 > m->cap && grow(m) != 0)
		return -1;
	size_t i = hash(addr) & (m->cap - 1);
	while (m->slot[i].addr && m->slot[i].addr != addr)
		i = (i + 1) & (m->cap - 1);
	if (!m->slot[i].addr)
		m->count++;
	m->slot[i].addr = addr;
	m->slot[i].size = size;
	m->slot[i].stack = stack;
	return 0;
}

int hs_livemap_take(struct hs_livemap *m, uint64_t addr, struct hs_live *out)
{
	if (!m->cap || !addr)
		return 0;
	size_t mask = m->cap - 1, i = hash(addr) & mask;
	while (m->slot[i].addr != addr) {
		if (!m->slot[i].addr)
			return 0;
		i = (i + 1) & mask;
	}
	*out = m->slot[i];
	/* Backward-shift deletion keeps probe chains intact without tombstones. */
	size_t j = i;
	for (;;) {
		j = (j + 1) & mask;
		if (!m->slot[j].addr)
			break;
		size_t home = hash(m->slot[j].addr) & mask;
		/* move j into the hole at i unless its home lies cyclically in (i, j] */
		if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
			m->slot[i] = m->slot[j];
			i = j;
		}
	}
	m->slot[i].addr = 0;
	m->count--;
	return 1;
}
