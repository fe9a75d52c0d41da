/* snapshot.h — periodic snapshots of the allocator and the address space. */
#ifndef HS_SNAPSHOT_H
#define HS_SNAPSHOT_H

#include <stdint.h>

/* Take a snapshot if snapshot_ms of run time passed since the last one.
 * Called on the allocation path, before any allocator lock (no thread of
 * our own runs in the host). Cheap when not due: one clock read. */
void hs_snapshot_maybe(void);
/* The heap grew (committed chunks or large mappings, `bytes` in all): ask
 * for a snapshot at the next allocation when it passed the last snapshot's
 * size by a quarter, so that short runs get one near their peak. Cheap and
 * lock-free; callable under allocator locks. */
void hs_snapshot_note_growth(uint64_t bytes);
/* Start the clock (recording begins); the first snapshot is one gap away. */
void hs_snapshot_start(void);
/* In a fork child, once its trace started: the same for the child. */
void hs_snapshot_after_fork_child(void);
struct hs_maps;

/* Take one now (at exit), with resident sizes, from maps (/proc/self/maps
 * read just before) or, if NULL, reading it. */
void hs_snapshot_now(const struct hs_maps *maps);

#endif
