/* livemap.h — the blocks live at the current point of a trace: address →
 * (size, stack). Open addressing with backward-shift deletion; grows at 1/2
 * load. Memory is proportional to the live blocks, never to the events. */
#ifndef HS_LIVEMAP_H
#define HS_LIVEMAP_H

#include <stddef.h>
#include <stdint.h>

struct hs_live {
	uint64_t addr; /* 0: empty slot (no block lives at address 0) */
	uint64_t size;
	uint32_t stack;
};

struct hs_livemap {
	struct hs_live *slot;
	size_t cap, count;
};

void hs_livemap_init(struct hs_livemap *m);
void hs_livemap_free(struct hs_livemap *m);
/* Insert or replace; -1 when out of memory. */
int hs_livemap_put(struct hs_livemap *m, uint64_t addr, uint64_t size, uint32_t stack);
/* Remove and copy out; 0 if the address was not live. */
int hs_livemap_take(struct hs_livemap *m, uint64_t addr, struct hs_live *out);

#endif
