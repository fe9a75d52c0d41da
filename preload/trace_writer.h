/* trace_writer.h — the process's trace file: one ordered stream of records
 * (format in include/heapscope/trace_format.h). */
#ifndef HS_TRACE_WRITER_H
#define HS_TRACE_WRITER_H

#include <stddef.h>
#include <stdint.h>

extern int hs_trace_on __attribute__((visibility("hidden")));

/* Create a new trace file in `dir` (dir_len bytes, not NUL-terminated) for
 * this process and write the file header and INFO. 0 on success; on failure
 * says why once on stderr and leaves tracing off. */
int hs_trace_open(const char *dir, size_t dir_len);

/* Append one whole record. */
void hs_trace_record(unsigned type, const uint8_t *payload, size_t len);
/* The same from a signal handler: if the lock is taken (perhaps by the
 * interrupted thread itself), the record is written straight to the file. */
void hs_trace_record_nowait(unsigned type, const uint8_t *payload, size_t len);

/* Events: appended under the trace lock, so their order in the file is the
 * order in which the allocator serialised them. A free must be traced before
 * the block is released for reuse. */
void hs_trace_alloc(const void *p, size_t size, uint32_t stack, unsigned api, uint16_t tid);
void hs_trace_free(const void *p, unsigned api, uint32_t stack, uint16_t tid);
void hs_trace_realloc(const void *old, const void *p, size_t size, uint32_t stack, uint16_t tid);

/* Write everything buffered. */
void hs_trace_flush(void);
/* The trace's clock: ms since the trace started (its events' TIME). */
uint64_t hs_trace_clock_ms(void);
/* A stack definition (a STACK or, with ref, STACK_REF payload), inline in
 * the event stream: it precedes every event that names it. Without `wait`
 * (a signal handler, which may have interrupted the holder of the trace's
 * lock): 0, and nothing written, if the lock is taken. */
int hs_trace_stack(int ref, const uint8_t *body, size_t len, int wait);
/* Footer: how the process ended. Flushes. */
void hs_trace_exit(unsigned how, uint64_t value, int leak_check, const char *reason);
/* From a fatal-signal handler: write what is complete, then the footer.
 * It waits for the lock about a millisecond only (its holder may be the
 * crashed thread), and keeps it: the process is about to die. */
void hs_trace_crash(int sig);
/* Around an exec: the EXIT record written to the file with everything
 * buffered before it, at the file offset returned (-1: no trace, or it
 * cannot be written); recording goes on meanwhile in the other threads.
 * The exec having failed, that record is made VOID in place (0 on
 * success): what the other threads recorded since stays, in order. */
long long hs_trace_exit_at(unsigned how, uint64_t value, const char *reason);
int hs_trace_take_back(long long at);

void hs_trace_lock(void);
void hs_trace_unlock(void);
/* In a fork child (lock held since fork_prepare): start the child's own
 * trace; the caller then re-emits modules and stacks. */
void hs_trace_after_fork_child(void);

#endif
