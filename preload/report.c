/* report.c — reports of the host program's memory errors (see report.h).
 * The text is what valgrind users read ("Invalid write of size 1",
 * "Address 0x… is 0 bytes after a block of size 13 alloc'd"), written with
 * write(2) only — it may run in a signal handler — and the same facts go
 * into the trace as an ERROR record for the analyzer to symbolize. With
 * halt_on_error=1 a bad free ends the program after its report. */
#define _GNU_SOURCE
#include "report.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <heapscope/trace_format.h>

#include "options.h"
#include "out.h"
#include "region.h"
#include "tcache.h"
#include "stackdepot.h"
#include "trace_writer.h"
#include "capture.h"

static void line_start(struct hs_out *o)
{
	hs_out_str(o, "==");
	hs_out_u64(o, (uint64_t)getpid());
	hs_out_str(o, "== ");
}

static const char *headline(const struct hs_error *e)
{
	switch (e->kind) {
	case HS_ERR_DOUBLE_FREE:
	case HS_ERR_INVALID_FREE:
		return e->api == HS_API_REALLOC ? "Invalid realloc()" :
		       e->api == HS_API_DELETE || e->api == HS_API_DELETE_ALIGNED ? "Invalid delete" :
		       e->api == HS_API_DELETE_ARRAY || e->api == HS_API_DELETE_ARRAY_ALIGNED ? "Invalid delete[]" :
		       "Invalid free()";
	case HS_ERR_MISMATCHED_FREE:
		return "Mismatched free() / delete / delete []";
	case HS_ERR_STACK_OVERFLOW:
		return "Stack overflow";
	default:
		return e->access == HS_ACCESS_WRITE ? "Invalid write" :
		       e->access == HS_ACCESS_READ ? "Invalid read" : "Invalid access";
	}
}

static void print_frames(struct hs_out *o, const uintptr_t *f, int n)
{
	for (int i = 0; i < n; i++) {
		line_start(o);
		hs_out_str(o, i ? "   by " : "   at ");
		hs_out_hex(o, f[i]);
		hs_out_str(o, "\n");
	}
}

static void print_text(const struct hs_error *e)
{
	struct hs_out o;
	hs_out_init(&o, hs_err_fd);
	line_start(&o);
	hs_out_str(&o, headline(e));
	if (e->size && e->kind != HS_ERR_DOUBLE_FREE && e->kind != HS_ERR_INVALID_FREE &&
	    e->kind != HS_ERR_MISMATCHED_FREE) {
		hs_out_str(&o, " of size ");
		hs_out_u64(&o, e->size);
	}
	hs_out_str(&o, " (");
	hs_out_str(&o, hs_error_kind_name(e->kind));
	if (e->detected == HS_DETECTED_AT_FREE &&
	    (e->kind == HS_ERR_HEAP_BUFFER_OVERFLOW || e->kind == HS_ERR_USE_AFTER_FREE))
		hs_out_str(&o, ", found when the block was freed");
	else if (e->detected == HS_DETECTED_AT_EXIT)
		hs_out_str(&o, ", found at exit");
	hs_out_str(&o, ")\n");
	print_frames(&o, e->frames, e->nframes);
	line_start(&o);
	hs_out_str(&o, " Address ");
	hs_out_hex(&o, e->addr);
	if (e->has_block) {
		int64_t off = e->offset;
		if (off < 0) {
			hs_out_str(&o, " is ");
			hs_out_u64(&o, (uint64_t)-off);
			hs_out_str(&o, " bytes before");
		} else if ((uint64_t)off >= e->block_size && e->kind != HS_ERR_USE_AFTER_FREE) {
			hs_out_str(&o, " is ");
			hs_out_u64(&o, (uint64_t)off - e->block_size);
			hs_out_str(&o, " bytes after");
		} else {
			hs_out_str(&o, " is ");
			hs_out_u64(&o, (uint64_t)off);
			hs_out_str(&o, " bytes inside");
		}
		hs_out_str(&o, " a block of size ");
		hs_out_u64(&o, e->block_size);
		hs_out_str(&o, e->block_freed ? " free'd" : " alloc'd");
		hs_out_str(&o, " (allocated by ");
		hs_out_str(&o, hs_api_name(e->alloc_api));
		if (e->kind == HS_ERR_MISMATCHED_FREE) {
			hs_out_str(&o, ", released by ");
			hs_out_str(&o, hs_api_name(e->api));
		}
		hs_out_str(&o, ")\n");
	} else {
		hs_out_str(&o, " is not in any heap block (");
		hs_out_str(&o, hs_region_name(e->region));
		hs_out_str(&o, ")\n");
	}
	line_start(&o);
	hs_out_str(&o, " symbolized stacks: heapscope report on this process's trace\n");
	hs_out_flush(&o);
}

/* The id a record may name: defined in this trace first. In a signal
 * handler that interrupted the depot an inherited stack cannot be defined,
 * and the error goes without it. */
static uint32_t named_stack(uint32_t id, int in_signal)
{
	if (!in_signal) {
		hs_stack_mention(id);
		return id;
	}
	return hs_stack_define_inherited_nowait(id) ? id : 0;
}

static void trace_error(const struct hs_error *e, int in_signal)
{
	uint8_t buf[128 + 64 * HS_VARINT_MAX];
	size_t k = 0;
	k += hs_put_varint(buf + k, e->kind);
	k += hs_put_varint(buf + k, e->access);
	k += hs_put_varint(buf + k, e->size);
	k += hs_put_varint(buf + k, e->addr);
	k += hs_put_varint(buf + k, e->detected);
	k += hs_put_varint(buf + k, e->region);
	k += hs_put_varint(buf + k, e->api);
	k += hs_put_varint(buf + k, e->alloc_api);
	k += hs_put_varint(buf + k, e->free_api);
	k += hs_put_varint(buf + k, (uint64_t)e->has_block);
	if (e->has_block) {
		k += hs_put_varint(buf + k, e->block_start);
		k += hs_put_varint(buf + k, e->block_size);
		k += hs_put_varint(buf + k, hs_zigzag(e->offset));
	}
	k += hs_put_varint(buf + k, named_stack(e->alloc_stack, in_signal));
	k += hs_put_varint(buf + k, named_stack(e->free_stack, in_signal));
	k += hs_put_varint(buf + k, hs_tl_cache ? hs_tl_cache->tid : 0);
	int n = e->nframes > 64 ? 64 : e->nframes;
	k += hs_put_varint(buf + k, (uint64_t)n);
	for (int i = 0; i < n; i++)
		k += hs_put_varint(buf + k, e->frames[i]);
	if (in_signal)
		hs_trace_record_nowait(HS_REC_ERROR, buf, k);
	else
		hs_trace_record(HS_REC_ERROR, buf, k);
}

void hs_report_error(const struct hs_error *e, int in_signal)
{
	if (hs_opt.verbosity >= 1)
		print_text(e);
	trace_error(e, in_signal);
}

/* The current stack for a report made outside a signal handler. */
static int here(uintptr_t *frames)
{
	uint64_t token;
	return hs_unwind_capture(frames, (int)hs_opt.depth, NULL, &token);
}

static void from_block(struct hs_error *e, const struct hs_block *b, uintptr_t addr)
{
	if (!b || b->kind == HS_BLOCK_NONE)
		return;
	e->has_block = 1;
	e->block_start = (uintptr_t)b->start;
	e->block_size = b->size;
	e->offset = (int64_t)(addr - (uintptr_t)b->start);
	e->alloc_api = b->meta->api;
	e->alloc_stack = b->meta->alloc_stack;
	e->free_stack = b->meta->free_stack;
	e->block_freed = b->meta->state != HS_STATE_LIVE;
	e->free_api = e->block_freed ? hs_meta_release_api(b->meta) : 0;
	e->region = HS_REGION_HEAP;
}

void hs_report_bad_free(enum hs_bad_free kind, const void *p, unsigned api, const struct hs_block *b)
{
	static const unsigned kinds[] = {HS_ERR_INVALID_FREE, HS_ERR_DOUBLE_FREE, HS_ERR_MISMATCHED_FREE};
	int saved = errno; /* free and realloc keep errno, even when they report */
	uintptr_t frames[64];
	struct hs_error e = {.kind = kinds[kind], .addr = (uintptr_t)p, .api = api,
			     .detected = HS_DETECTED_AT_FREE, .region = HS_REGION_UNKNOWN};
	from_block(&e, b, (uintptr_t)p);
	if (!e.has_block)
		e.region = hs_region_of((uintptr_t)p, (uintptr_t)&frames);
	e.nframes = here(frames);
	e.frames = frames;
	hs_report_error(&e, 0);
	if (hs_opt.halt_on_error && kind != HS_BAD_MISMATCH)
		abort();
	errno = saved;
}

void hs_report_write_after_free(const struct hs_block *b, size_t offset, unsigned detected)
{
	int saved = errno;
	uintptr_t frames[64];
	struct hs_error e = {.kind = HS_ERR_USE_AFTER_FREE, .access = HS_ACCESS_WRITE,
			     .detected = detected, .addr = (uintptr_t)b->start + offset};
	from_block(&e, b, e.addr);
	e.block_freed = 1;
	/* at exit the stack would be the exit's own, no one's code */
	e.nframes = detected == HS_DETECTED_AT_EXIT ? 0 : here(frames);
	e.frames = frames;
	hs_report_error(&e, 0);
	errno = saved;
}

void hs_report_canary(const struct hs_block *b, size_t offset, unsigned detected, unsigned api)
{
	int saved = errno;
	uintptr_t frames[64];
	struct hs_error e = {.kind = HS_ERR_HEAP_BUFFER_OVERFLOW, .access = HS_ACCESS_WRITE,
			     .detected = detected, .addr = (uintptr_t)b->start + offset, .api = api};
	from_block(&e, b, e.addr);
	e.nframes = detected == HS_DETECTED_AT_EXIT ? 0 : here(frames);
	e.frames = frames;
	hs_report_error(&e, 0);
	errno = saved;
}
