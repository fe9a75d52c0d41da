/* capture.h — stack capture: the return addresses of the calling thread. */
#ifndef HS_CAPTURE_H
#define HS_CAPTURE_H

#include <stdint.h>

#define HS_MAX_DEPTH 64

/* Prepare the unwinder and find heapscope's own code range. Call once,
 * from the constructor. */
void hs_unwind_init(void);
/* Up to max return addresses of the caller's stack, innermost first, with
 * heapscope's own frames dropped: frames[0] is the caller of malloc/new.
 * frame: the entry point's frame when known (see hs_alloc_at), else NULL.
 * *token names a remembered walk (hs_fast_memo_get/put), or is 0. */
int hs_unwind_capture(uintptr_t *frames, int max, const void *frame, uint64_t *token);
/* From a signal handler: the interrupted stack, starting at the interrupted
 * instruction (stored + 1, like a return address). 0 if the unwinder finds
 * no signal frame. */
int hs_unwind_capture_signal(uintptr_t *frames, int max);

#endif
