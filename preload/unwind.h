/* unwind.h — stack capture with libunwind. */
#ifndef HS_UNWIND_H
#define HS_UNWIND_H

#include <stdint.h>

#define HS_MAX_DEPTH 64

/* Prepare libunwind (per-thread cache) and find heapscope's own code range.
 * Call once, from the constructor. */
void hs_unwind_init(void);
/* Up to max return addresses of the caller's stack, innermost first, with
 * heapscope's own frames dropped: frames[0] is the caller of malloc/new. */
int hs_unwind_capture(uintptr_t *frames, int max);

#endif
