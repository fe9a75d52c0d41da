/* snapshot.h — periodic snapshots of the allocator and the address space. */
#ifndef HS_SNAPSHOT_H
#define HS_SNAPSHOT_H

/* Take a snapshot if snapshot_ms of run time passed since the last one.
 * Called on the allocation path, before any allocator lock (no thread of
 * our own runs in the host). Cheap when not due: one clock read. */
void hs_snapshot_maybe(void);
/* Take one now (at exit). */
void hs_snapshot_now(void);

#endif
