/* fault.h — SIGSEGV/SIGBUS explained in terms of the heap. */
#ifndef HS_FAULT_H
#define HS_FAULT_H

/* Install the handler (and this thread's alternate stack). */
void hs_fault_init(void);
/* Give the calling thread an alternate signal stack if it has none, so a
 * stack overflow in it can still be reported. */
void hs_fault_thread_init(void);

#endif
