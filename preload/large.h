/* large.h — blocks above the largest buddy order, one mapping each. */
#ifndef HS_LARGE_H
#define HS_LARGE_H

#include <stddef.h>
#include <stdint.h>

#include "meta.h"

/* One large block. Invariants: `user` is the pointer handed out, inside
 * [map, map + mapped); `size` the requested size (meta.size holds it
 * truncated to 32 bits and must not be used for large blocks). */
struct hs_large {
	char *user;
	char *map;
	size_t mapped;
	size_t size;
	hs_meta_t meta;
};

struct hs_large_stats {
	uint64_t blocks;
	uint64_t requested;
	uint64_t mapped;
};

/* A new large block (zeroed by the kernel), aligned to `align` (a power of
 * two), its meta live and owned by the caller. NULL with errno ENOMEM on
 * failure. */
struct hs_large *hs_large_alloc(size_t size, size_t align, unsigned api);
/* The block that starts exactly at p, or NULL. The entry stays valid until
 * hs_large_free(p) by the block's owner. */
struct hs_large *hs_large_find(const void *p);
/* The block containing p anywhere in its mapping (slow: for the fault
 * handler and interior checks), or NULL. Copies it into *out. */
int hs_large_find_containing(const void *p, struct hs_large *out);
void hs_large_free(void *p);
/* Resize in place or by moving the mapping (mremap). Returns the block's
 * new address, or NULL leaving the old block intact. */
void *hs_large_realloc(void *p, size_t new_size);
void hs_large_stats(struct hs_large_stats *out);
/* Bytes mapped for large blocks now (lock-free, approximate). */
uint64_t hs_large_mapped_bytes(void);
/* Copy up to max pointers to the live large blocks into out, without the
 * lock (for a thread that has paused all others); returns how many. */
size_t hs_large_collect_unlocked(struct hs_large **out, size_t max);
size_t hs_large_count_unlocked(void);
/* fn(lo, hi, ctx) for the mapping of every live large block, under the
 * lock (fn must not allocate). */
void hs_large_each_mapping(void (*fn)(uintptr_t lo, uintptr_t hi, void *ctx), void *ctx);

void hs_large_lock(void);
void hs_large_unlock(void);
void hs_large_reset_lock(void);

#endif
