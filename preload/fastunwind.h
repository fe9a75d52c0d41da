/* fastunwind.h — x86-64 stack walking from .eh_frame with cached rules: the
 * fast path of stack capture (capture.c), libunwind for the rest. */
#ifndef HS_FASTUNWIND_H
#define HS_FASTUNWIND_H

#include <stdint.h>

/* As libunwind's unw_backtrace: the return addresses of the caller's frame
 * and up, at most max; or -1 when some frame needs libunwind (then nothing
 * in buf is meaningful). Reads only the current thread's stack. */
int hs_fast_backtrace(void **buf, int max);

/* Where the caller may keep its id for the stack of this thread's last
 * hs_fast_backtrace: the same slot (and id, once set) comes back whenever
 * a later walk is answered from the same remembered one; NULL when the
 * last walk was not remembered (or declined). The slot is 0 until set. */
uint32_t *hs_fast_memo_id(void);

/* Drop every cached rule (an object was unloaded). */
void hs_fast_unwind_forget(void);

#endif
