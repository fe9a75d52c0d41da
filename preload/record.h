/* record.h — what the allocator records about each call, when recording is
 * on (HEAPSCOPE_OPTIONS out=DIR). */
#ifndef HS_RECORD_H
#define HS_RECORD_H

#include <stdint.h>

#include "hs_internal.h"

extern int hs_rec_active HS_HIDDEN;

/* The caller's stack id (frame: as for hs_alloc_at, alloc.h): captured
 * and interned now, before any allocator lock is taken. 0 when recording is
 * off or this thread is already inside heapscope's instrumentation (a
 * nested allocation is served and traced, but not unwound). */
uint32_t hs_record_stack(const void *frame);
/* The free stack, when free_stacks=1; else 0. */
uint32_t hs_record_free_stack(const void *frame);
/* Is this thread inside a capture (an allocation made by the C library for
 * heapscope's unwinder, e.g. pthread_getattr_np's)? */
int hs_record_nested(void);

/* A signal is about to end the process: end the trace with it, if this is
 * the trace's process (not a vfork child sharing its memory); 1 if so. */
int hs_record_crash(int sig);
/* From a handler of sig, its default action restored: raise sig again so
 * that it is delivered, alone, as the handler returns (ctx: the handler's
 * ucontext). */
void hs_record_redeliver(int sig, void *ctx);

/* Start recording (from the library constructor). */
void hs_record_start(void);
/* In a fork child, after hs_trace_after_fork_child: define the module map
 * and every stack again in the child's new trace. */
void hs_record_after_fork_child(void);
/* In the parent, after a fork: ends the trace of a parent that daemon()
 * is about to end (see record.c). */
void hs_record_after_fork_parent(void);

#endif
