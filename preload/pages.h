/* pages.h — the only door to the kernel's memory system calls. */
#ifndef HS_PAGES_H
#define HS_PAGES_H

#include <stddef.h>
#include <stdint.h>

/* Reserve address space, inaccessible, committing nothing. NULL on failure. */
void *hs_pages_reserve(size_t size, size_t align);
/* Fresh zeroed read/write pages. how: HS_PAGES_LAZY (MAP_NORESERVE: only
 * the pages touched are ever backed), HS_PAGES_POPULATE (every page backed
 * now, in the one call: for a hash table, whose pages are read before they
 * are written and would otherwise fault twice each, on the zero page and
 * again on the write) or 0. NULL on failure. */
#define HS_PAGES_LAZY 1
#define HS_PAGES_POPULATE 2
void *hs_pages_map(size_t size, int how);
void hs_pages_unmap(void *p, size_t size);
/* Make reserved pages usable (read/write). 0 on success. */
int hs_pages_commit(void *p, size_t size);
/* Give the pages' memory back to the kernel; they stay mapped and read as
 * zero on the next touch. They must be writable: locked pages, which the
 * kernel may refuse to drop, are zeroed in place. */
void hs_pages_decommit(void *p, size_t size);
/* Back mapped pages now, written (MADV_POPULATE_WRITE): one call instead
 * of a fault per page, for memory about to be filled in order. 0 on
 * success; -1 (older kernels) leaves them to fault in as before. */
int hs_pages_populate(void *p, size_t size);
int hs_pages_protect_none(void *p, size_t size);
int hs_pages_protect_rw(void *p, size_t size);
/* Grow or shrink a mapping made by hs_pages_map, moving it if needed. */
void *hs_pages_remap(void *p, size_t old_size, size_t new_size);

/* The same for heapscope's own memory (arena, page map, buffers): these
 * mappings are registered so that the leak scan, which takes the process's
 * other anonymous mappings as roots, can leave them out. */
void *hs_pages_map_internal(size_t size, int how);
void hs_pages_unmap_internal(void *p, size_t size);
/* hs_pages_map_internal without waiting for the registry's lock (NULL if
 * it is held: a signal handler may have interrupted its holder). */
void *hs_pages_map_internal_try(size_t size, int how);
void *hs_pages_remap_internal(void *p, size_t old_size, size_t new_size);
/* The registry of our own mappings across fork (lock.h's order: last). */
void hs_pages_lock(void);
void hs_pages_unlock(void);
void hs_pages_reset_lock(void);
/* fn(start, end, ctx) for each of heapscope's own mappings that overlaps
 * [lo, hi), until fn returns nonzero (then 1, else 0). Lock-free, as
 * hs_pages_is_internal. */
int hs_pages_each_internal(uintptr_t lo, uintptr_t hi, int (*fn)(uintptr_t a, uintptr_t b, void *ctx), void *ctx);
/* Does [lo, hi) overlap one of heapscope's own mappings? Lock-free. */
int hs_pages_is_internal(uintptr_t lo, uintptr_t hi);

#endif
