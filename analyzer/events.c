/* events.c — see events.h. */
#include "events.h"

#include <stdio.h>

#include <heapscope/trace_format.h>

int hs_events_decode(struct hs_cursor *c, struct hs_event_state *st,
		     void (*fn)(const struct hs_event *ev, void *ctx), void *ctx)
{
	while (!hs_cur_done(c)) {
		uint8_t tag = hs_cur_byte(c);
		struct hs_event ev = {0};
		switch (tag & 0xf0) {
		case HS_EV_ALLOC:
			st->addr += (uint64_t)hs_cur_zigzag(c);
			ev.kind = HS_EVENT_ALLOC;
			ev.api = tag & 0x0f;
			ev.size = hs_cur_varint(c);
			ev.stack = (uint32_t)hs_cur_varint(c);
			break;
		case HS_EV_FREE:
			st->addr += (uint64_t)hs_cur_zigzag(c);
			ev.kind = HS_EVENT_FREE;
			ev.api = HS_API_FREE + (tag & 0x07);
			if (tag & HS_EV_FREE_HAS_STACK)
				ev.stack = (uint32_t)hs_cur_varint(c);
			break;
		case HS_EV_REALLOC:
			st->addr += (uint64_t)hs_cur_zigzag(c);
			ev.old = st->addr << HS_ADDR_SHIFT;
			st->addr += (uint64_t)hs_cur_zigzag(c);
			ev.kind = HS_EVENT_REALLOC;
			ev.api = HS_API_REALLOC;
			ev.size = hs_cur_varint(c);
			ev.stack = (uint32_t)hs_cur_varint(c);
			break;
		case HS_EV_TIME:
			st->ms += hs_cur_varint(c);
			continue;
		case HS_EV_THREAD:
			st->tid = hs_cur_varint(c);
			continue;
		case HS_EV_STACK: {
			uint64_t len = hs_cur_varint(c);
			if (c->bad || len > (uint64_t)(c->end - c->p))
				return -1;
			struct hs_cursor body = {c->p, c->p + len, 0};
			c->p += len;
			if (st->on_stack && (st->on_stack(&body, tag & HS_EV_STACK_REF, ctx) != 0 || !hs_cur_done(&body)))
				st->stacks_bad++;
			continue;
		}
		default:
			return -1;
		}
		if (c->bad)
			return -1;
		ev.addr = st->addr << HS_ADDR_SHIFT;
		ev.t_ms = st->ms;
		ev.tid = st->tid;
		fn(&ev, ctx);
	}
	return c->bad ? -1 : 0;
}

int hs_events_replay(const char *path, void (*fn)(const struct hs_event *ev, void *ctx), void *ctx,
		     char *err, size_t errlen)
{
	struct hs_reader r;
	if (hs_reader_open(&r, path) != 0) {
		snprintf(err, errlen, "%s", r.error);
		return -1;
	}
	struct hs_event_state st = {0};
	struct hs_record rec;
	int rc;
	while ((rc = hs_reader_next(&r, &rec)) == 1) {
		if (rec.type != HS_REC_EVENTS)
			continue;
		struct hs_cursor c = {rec.data, rec.data + rec.len, 0};
		hs_events_decode(&c, &st, fn, ctx);
	}
	if (rc < 0)
		snprintf(err, errlen, "%s", r.error);
	hs_reader_close(&r);
	return rc < 0 ? -1 : 0;
}
