/* arena.h — memory for heapscope's own structures, never from the public
 * malloc (which would recurse, show up in leak reports and make leaked user
 * blocks look reachable). */
#ifndef HS_ARENA_H
#define HS_ARENA_H

#include <stddef.h>

/* Zeroed memory, 16-byte aligned; NULL when the kernel refuses. */
void *hs_arena_alloc(size_t size);
/* size must be the size passed to hs_arena_alloc. */
void hs_arena_free(void *p, size_t size);
/* Bytes the arena has mapped (for the segment report). */
size_t hs_arena_mapped(void);

void hs_arena_lock_all(void);
void hs_arena_unlock_all(void);
void hs_arena_reset_locks(void);

#endif
