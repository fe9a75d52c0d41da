/* fastunwind.h — x86-64 stack walking from .eh_frame with cached rules: the
 * fast path of stack capture (capture.c), libgcc's unwinder for the rest. */
#ifndef HS_FASTUNWIND_H
#define HS_FASTUNWIND_H

#include <stdint.h>

/* As libunwind's unw_backtrace: the return addresses of the caller's frame
 * and up, at most max; or -1 when some frame needs a full unwinder (then nothing
 * in buf is meaningful), or when called inside another walk of the same
 * thread (a signal handler's). Reads only the current thread's stack.
 * frame, when not NULL, is a frame of the current stack set up with a
 * frame pointer (its __builtin_frame_address(0)): the walk starts at that
 * function's caller, whose return address is then buf[0]. */
int hs_fast_backtrace(uintptr_t *buf, int max, const void *frame, uint64_t *token);

/* *token (0 for none) names the remembered walk a call was answered from
 * or stored in: the caller may keep its id for that stack there, and gets
 * it back for a later walk answered from the same one (0 until set). */
uint32_t hs_fast_memo_get(uint64_t token);
void hs_fast_memo_put(uint64_t token, uint32_t id);

/* This thread's walks so far: all of them, those answered whole from a
 * remembered one, those that took their outer frames from the last one. */
struct hs_fast_counts {
	uint64_t walks, remembered, followed;
	uint64_t computed, resumed; /* rules computed; of them, from a resumed CFA run */
};
void hs_fast_unwind_counts(struct hs_fast_counts *out);

/* The calling thread is exiting: its walk caches go to the free list, and
 * its later captures (other libraries' TLS destructors) to libgcc. */
void hs_fast_unwind_thread_exit(void);

/* In a fork child: the cache's lock may have been held by another thread. */
void hs_fast_unwind_after_fork_child(void);

/* Drop every cached rule (an object was unloaded). */
void hs_fast_unwind_forget(void);

#endif
