/* fastunwind.h — x86-64 stack walking from .eh_frame with cached rules: the
 * fast path of stack capture (capture.c), libunwind for the rest. */
#ifndef HS_FASTUNWIND_H
#define HS_FASTUNWIND_H

/* As libunwind's unw_backtrace: the return addresses of the caller's frame
 * and up, at most max; or -1 when some frame needs libunwind (then nothing
 * in buf is meaningful). Reads only the current thread's stack. */
int hs_fast_backtrace(void **buf, int max);

/* Drop every cached rule (an object was unloaded). */
void hs_fast_unwind_forget(void);

#endif
