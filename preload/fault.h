/* fault.h — SIGSEGV/SIGBUS explained in terms of the heap. */
#ifndef HS_FAULT_H
#define HS_FAULT_H

#include <signal.h>

/* Install the handler (and this thread's alternate stack). */
void hs_fault_init(void);
/* Give the calling thread an alternate signal stack if it has none, so a
 * stack overflow in it can still be reported. */
void hs_fault_thread_init(void);

/* The C library's sigaction, past heapscope's own wrapper (which keeps
 * SIGSEGV/SIGBUS for heapscope and only records the program's wishes). */
int hs_sigaction_raw(int sig, const struct sigaction *act, struct sigaction *old);

#endif
