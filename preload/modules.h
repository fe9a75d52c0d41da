/* modules.h — the module map in the trace: every loaded object's path,
 * build-id, load address and segments, re-emitted whenever it changes. */
#ifndef HS_MODULES_H
#define HS_MODULES_H

/* Trace the map if it changed since the last call (or if force: a new
 * trace, which gets the record built last again when nothing changed).
 * Cheap enough to call whenever a new stack is about to be defined. Must
 * not be called with an allocator lock held (it walks the loader's list). */
void hs_modules_sync(int force);

void hs_modules_lock(void);
void hs_modules_unlock(void);
void hs_modules_reset_lock(void);

#endif
