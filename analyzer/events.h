/* events.h — decoding the EVENTS stream of a trace (format in
 * include/heapscope/trace_format.h), for the first pass (process.c) and for
 * replays (simulate). */
#ifndef HS_EVENTS_H
#define HS_EVENTS_H

#include <stdint.h>

#include "trace_reader.h"

enum hs_event_kind { HS_EVENT_ALLOC, HS_EVENT_FREE, HS_EVENT_REALLOC };

struct hs_event {
	unsigned kind;	/* enum hs_event_kind */
	unsigned api;	/* enum hs_api of the call */
	uint64_t addr;	/* the block (new block for REALLOC) */
	uint64_t old;	/* REALLOC: the block before */
	uint64_t size;
	uint32_t stack;	/* allocation stack (ALLOC, REALLOC), free stack or 0 (FREE) */
	uint64_t t_ms;
	uint64_t tid;
};

/* Decoder state carried from one EVENTS record to the next. Stack
 * definitions inline in the stream go to on_stack (body: a STACK payload,
 * or STACK_REF's with ref), or are skipped when it is NULL; it returns -1
 * for a bad one, which is counted in stacks_bad. */
struct hs_event_state {
	uint64_t addr, ms, tid;
	int (*on_stack)(struct hs_cursor *body, int ref, void *ctx);
	uint64_t stacks_bad;
};

/* Decode one EVENTS payload, calling fn for each allocation event.
 * 0 on success, -1 on a malformed payload (events before the bad one were
 * delivered). */
int hs_events_decode(struct hs_cursor *c, struct hs_event_state *st,
		     void (*fn)(const struct hs_event *ev, void *ctx), void *ctx);

/* Read a whole trace, calling fn for each allocation event. 0 on success
 * (a truncated tail is fine), -1 with a one-line message in err. */
int hs_events_replay(const char *path, void (*fn)(const struct hs_event *ev, void *ctx), void *ctx,
		     char *err, size_t errlen);

#endif
