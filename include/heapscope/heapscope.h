/* heapscope.h — the public API a program (or its test harness) may call
 * when it runs under heapscope. Every function is a weak reference here so
 * a program built against this header still runs without heapscope: then
 * the functions are NULL and the inline wrappers do nothing.
 */
#ifndef HEAPSCOPE_H
#define HEAPSCOPE_H

#ifdef __cplusplus
extern "C" {
#endif

/* Run a leak check now (other threads are paused meanwhile) and write its
 * result into the trace, as the check at exit does. Returns the number of
 * definitely and indirectly lost blocks, or -1 when heapscope is not
 * recording. */
int __heapscope_check_leaks(void) __attribute__((weak));

static inline int heapscope_check_leaks(void)
{
	return __heapscope_check_leaks ? __heapscope_check_leaks() : -1;
}

#ifdef __cplusplus
}
#endif

#endif
