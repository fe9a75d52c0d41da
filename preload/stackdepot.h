/* stackdepot.h — every distinct stack stored once, named by a 32-bit id. */
#ifndef HS_STACKDEPOT_H
#define HS_STACKDEPOT_H

#include <stdint.h>

/* The id of this stack if it is already interned, else 0. Lock-free. */
uint32_t hs_stack_find(const uintptr_t *frames, int n);

/* The id of this stack (1, 2, …), interning it if new: a new stack's STACK
 * record is traced before its id is visible to any other thread, so an
 * event naming an id always comes after the id's definition. 0 when the
 * depot cannot grow (out of memory). */
uint32_t hs_stack_intern(const uintptr_t *frames, int n);

/* Trace every stack's definition again, in id order (a fork child's new
 * trace must define the ids its events use). */
void hs_stack_retrace_all(void);
/* The frames of stack `id`; n = 0 if unknown. */
const uintptr_t *hs_stack_get(uint32_t id, int *n);
uint32_t hs_stack_count(void);
/* Mix into every later hash (a library was unloaded: its addresses may now
 * mean different code, so identical frames must get a new id). */
void hs_stack_new_epoch(void);

void hs_stack_lock(void);
void hs_stack_unlock(void);
void hs_stack_reset_lock(void);

#endif
