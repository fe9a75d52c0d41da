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

/* Nonzero in a fork child whose depot holds stacks its own trace has not
 * defined yet (they were defined in the parent's). */
extern int hs_stack_inherited __attribute__((visibility("hidden")));
void hs_stack_define_inherited(uint32_t id);

/* Before a record names stack `id`: define it in this trace if it is an
 * inherited stack not defined here yet. Takes the depot's lock (then the
 * trace's), so never while holding the trace's lock. */
static inline void hs_stack_mention(uint32_t id)
{
	if (__builtin_expect(hs_stack_inherited, 0))
		hs_stack_define_inherited(id);
}

/* The same from a signal handler, which may have interrupted this thread
 * inside the depot or the trace writer: 0 if the definition could not be
 * written (a lock was taken), and the record should not name the stack. */
int hs_stack_define_inherited_nowait(uint32_t id);
/* The frames of stack `id`; n = 0 if unknown. */
const uintptr_t *hs_stack_get(uint32_t id, int *n);
uint32_t hs_stack_count(void);
/* Mix into every later hash (a library was unloaded: its addresses may now
 * mean different code, so identical frames must get a new id). Called
 * before the new module map is traced; in a fork child it also defines
 * every inherited stack not defined yet, under the old map. Takes the
 * depot's lock, then the trace's. */
void hs_stack_new_epoch(void);

void hs_stack_lock(void);
void hs_stack_unlock(void);
/* In a fork child: the lock released, and a new trace without any stack
 * defined in it. */
void hs_stack_after_fork_child(void);

#endif
