/* alloc.c — routes each request to the slab, buddy or large allocator and
 * keeps the per-block metadata and counters.
 *
 *   size ≤ 3584 B (and alignment a slab class can honour) → slab, through
 *                 the thread's magazine
 *   size ≤ 1 MiB                                           → buddy block
 *   larger                                                 → own mapping
 *
 * Every pointer coming back from the program is looked up (block.c) before
 * anything is written for it. Never calls the public malloc.
 *
 * While detecting errors (recording with detect=1) three things change:
 * a new block may get guard pages instead (guard.c, per the `guard` mode);
 * any other block gets at least one byte of slack, filled with a canary
 * and checked when it is freed or reallocated; a freed block goes to the
 * quarantine (quarantine.c) rather than straight back, and realloc always
 * moves, so that stale pointers keep pointing at freed memory.
 */
#define _GNU_SOURCE
#include "alloc.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <heapscope/trace_format.h>

#include "block.h"
#include "buddy.h"
#include "guard.h"
#include "large.h"
#include "magic.h"
#include "options.h"
#include "pagemap.h"
#include "quarantine.h"
#include "record.h"
#include "report.h"
#include "slab.h"
#include "snapshot.h"
#include "tcache.h"
#include "trace_writer.h"

static void *fail_enomem(void)
{
	errno = ENOMEM;
	return NULL;
}

static void set_meta(hs_meta_t *m, size_t size, unsigned api, uint16_t tid, uint32_t stack)
{
	m->size = (uint32_t)size;
	m->alloc_stack = stack;
	m->free_stack = 0;
	m->tid = tid;
	m->api = (uint8_t)api;
	m->state = HS_STATE_LIVE;
	m->canary = 0;
}

/* The calling thread's heapscope id; the thread's cache (which holds it)
 * is created here if the thread has not allocated a small block yet. */
static uint16_t current_tid(void)
{
	struct hs_tcache *tc = hs_tl_cache;
	if (HS_UNLIKELY(!tc))
		tc = hs_tcache_create();
	return tc ? tc->tid : 0;
}

/* The slack after a new block of a detecting run gets the canary (see
 * alloc_detect); `usable` is the distance from its start to the slot end. */
static void put_canary(char *p, size_t size, size_t usable, hs_meta_t *m)
{
	hs_canary_fill(p + size, p + usable);
	m->canary = 1;
}

static void *alloc_slab(size_t size, unsigned cls, unsigned api, int zero, uint32_t stack, int canary)
{
	struct hs_tcache *tc = hs_tl_cache;
	if (HS_UNLIKELY(!tc))
		tc = hs_tcache_create();
	struct hs_obj o, *op;
	if (HS_LIKELY(tc != NULL)) {
		op = hs_tcache_pop(tc, cls);
		if (HS_UNLIKELY(!op))
			return NULL; /* the caller falls back; errno is its to set */
		o = *op;
		struct hs_class_count *c = &tc->count[cls];
		c->live++;
		c->requested += (int64_t)size;
		c->allocs++;
	} else {
		if (hs_slab_take(cls, &o, 1) != 1)
			return NULL;
		hs_tcache_count_orphan(cls, 1, (int64_t)size);
	}
	set_meta(o.meta, size, api, tc ? tc->tid : 0, stack);
	/* calloc zeroes what malloc_usable_size gives, as glibc's does, but
	 * for the canary's slack */
	if (zero)
		memset(o.p, 0, canary ? size : hs_slab_classes[cls].size);
	if (canary)
		put_canary(o.p, size, hs_slab_classes[cls].size, o.meta);
	return o.p;
}

/* Smallest slab class ≥ size whose objects all land on an `align` boundary
 * (slabs start on a page, so a class size that is a multiple of align
 * works); -1 if none. */
static int aligned_class(size_t size, size_t align)
{
	size_t need = size > align ? size : align;
	if (need > HS_SLAB_MAX_SIZE || align > HS_PAGE_SIZE)
		return -1;
	for (unsigned c = hs_slab_class_of(need); c < HS_SLAB_CLASSES; c++)
		if (hs_slab_classes[c].size % align == 0)
			return (int)c;
	return -1;
}

int hs_detect_active;

/* Allocate without tracing (callers trace the event themselves): `size`
 * bytes recorded, in a slot of at least `room` bytes, its slack filled with
 * the canary if asked. */
static void *alloc_block(size_t size, size_t room, size_t align, unsigned api, int zero, uint32_t stack,
			 int canary)
{
	if (HS_LIKELY(align <= HS_MIN_ALIGN && room <= HS_SLAB_MAX_SIZE)) {
		void *p = alloc_slab(size, hs_slab_class_of(room), api, zero, stack, canary);
		if (HS_LIKELY(p != NULL))
			return p;
		/* heap exhausted or never reserved: a mapping of its own */
	} else if (size > PTRDIFF_MAX) {
		return fail_enomem();
	} else if (align > HS_MIN_ALIGN) {
		int cls = aligned_class(room, align);
		void *p = cls >= 0 ? alloc_slab(size, (unsigned)cls, api, zero, stack, canary) : NULL;
		if (p)
			return p;
	}
	int order = hs_buddy_order_for(room > align ? room : align);
	if (order >= 0 && hs_heap.base) {
		int zeroed;
		uint32_t page = hs_buddy_alloc((unsigned)order, 1, size, &zeroed);
		if (page != HS_NIL) {
			char *p = hs_page_addr(page);
			set_meta(&hs_heap.map[page].u.meta, size, api, current_tid(), stack);
			if (zero && !zeroed)
				memset(p, 0, canary ? size : HS_PAGE_SIZE << order);
			if (canary)
				put_canary(p, size, HS_PAGE_SIZE << order, &hs_heap.map[page].u.meta);
			return p;
		}
		/* heap exhausted: a mapping of its own may still work */
	}
	struct hs_large *e = hs_large_alloc(size, align, api);
	if (!e)
		return fail_enomem();
	e->meta.tid = current_tid();
	e->meta.alloc_stack = stack;
	if (canary)
		put_canary(e->user, size, e->mapped - (size_t)(e->user - e->map), &e->meta);
	return e->user;
}

/* ---- canaries ------------------------------------------------------------ */

/* The canary covers the slot's slack right after the block, up to
 * HS_CANARY_MAX bytes; b->usable is the distance from start to slot end. */
static char *canary_end(const struct hs_block *b)
{
	char *from = b->start + b->size, *to = b->start + b->usable;
	return to - from > HS_CANARY_MAX ? from + HS_CANARY_MAX : to;
}

void hs_canary_fill(char *from, char *to)
{
	if (to - from > HS_CANARY_MAX)
		to = from + HS_CANARY_MAX;
	char *c = from;
	for (; c < to && ((uintptr_t)c & 7); c++)
		*(uint8_t *)c = hs_canary_byte((uintptr_t)c);
	for (; c + 8 <= to; c += 8) {
		uint64_t w = HS_CANARY_WORD;
		memcpy(c, &w, 8);
	}
	for (; c < to; c++)
		*(uint8_t *)c = hs_canary_byte((uintptr_t)c);
}

/* Offset of the first broken canary byte from the block start, or -1
 * (also for blocks that never got one: allocated before detection began). */
long hs_block_broken_canary(const struct hs_block *b)
{
	if (!b->meta->canary)
		return -1;
	const char *c = b->start + b->size, *to = canary_end(b);
	/* whole aligned words at once: the canary word is the same in each */
	for (; c < to && ((uintptr_t)c & 7); c++)
		if (*(const uint8_t *)c != hs_canary_byte((uintptr_t)c))
			return (long)(c - b->start);
	for (; c + 8 <= to; c += 8) {
		uint64_t got;
		memcpy(&got, c, 8);
		if (got != HS_CANARY_WORD)
			break;
	}
	for (; c < to; c++)
		if (*(const uint8_t *)c != hs_canary_byte((uintptr_t)c))
			return (long)(c - b->start);
	return -1;
}

/* A block for a detecting run: guarded, or with at least one canary byte. */
static void *alloc_detect(size_t size, size_t align, unsigned api, int zero, uint32_t stack)
{
	if (hs_guard_wanted(size)) {
		struct hs_guard_slot *s = hs_guard_alloc(size, align, api, (int)hs_opt.guard_below);
		if (s) {
			s->meta.alloc_stack = stack;
			s->meta.tid = current_tid();
			return s->user; /* fresh or decommitted pages: already zero */
		}
	}
	return alloc_block(size, size + 1, align, api, zero, stack, 1);
}

/* A recorded allocation's block: a detecting one where detection is on —
 * not for what the C library allocates for heapscope's own unwinder (it
 * would take the thread's first sampled block from the program). */
static void *alloc_recorded(size_t size, size_t align, unsigned api, int zero, uint32_t stack)
{
	return hs_detect_active && size < PTRDIFF_MAX && !hs_record_nested()
		       ? alloc_detect(size, align, api, zero, stack)
						      : alloc_block(size, size, align, api, zero, stack, 0);
}

void *hs_alloc_at(size_t size, size_t align, unsigned api, int zero, const void *frame)
{
	hs_ensure_init();
	if (HS_LIKELY(!hs_rec_active))
		return alloc_block(size, size, align, api, zero, 0, 0);
	/* Recording: the stack is captured, and a snapshot taken when one is
	 * due, before any allocator lock. */
	hs_snapshot_maybe();
	uint32_t stack = hs_record_stack(frame);
	void *p = alloc_recorded(size, align, api, zero, stack);
	if (p)
		hs_trace_alloc(p, size, stack, api, current_tid());
	return p;
}

/* Mark a validated live block free and give it back (no event). */
static void release_untraced(const struct hs_block *b)
{
	b->meta->state = HS_STATE_FREE;
	switch (b->kind) {
	case HS_BLOCK_GUARD:
		hs_guard_retire(b->slot);
		hs_guard_release(b->slot);
		break;
	case HS_BLOCK_SLAB: {
		struct hs_tcache *tc = hs_tl_cache;
		if (HS_LIKELY(tc != NULL)) {
			struct hs_class_count *c = &tc->count[b->cls];
			c->live--;
			c->requested -= (int64_t)b->size;
			c->frees++;
			hs_tcache_push(tc, b->cls, b->start, b->meta);
		} else {
			hs_tcache_count_orphan(b->cls, -1, (int64_t)b->size);
			struct hs_obj obj = {b->start, b->meta};
			hs_slab_give(b->cls, &obj, 1);
		}
		break;
	}
	case HS_BLOCK_BUDDY:
		hs_buddy_free(b->page);
		break;
	case HS_BLOCK_LARGE:
		hs_large_free(b->start);
		break;
	}
}

void hs_release_memory(const struct hs_block *b)
{
	if (b->kind == HS_BLOCK_GUARD) {
		/* retired when it entered the quarantine */
		b->meta->state = HS_STATE_FREE;
		hs_guard_release(b->slot);
	} else {
		release_untraced(b);
	}
}

/* Is this block quarantined when freed? Every block in a detecting run,
 * but under guard=sample:N only the sampled ones (see guard.h). */
static int quarantined(const struct hs_block *b)
{
	return hs_detect_active && (b->kind == HS_BLOCK_GUARD || !hs_guard_sampling());
}

/* A freed block in a detecting run: canary checked, then quarantined (keep,
 * from quarantined()) or released. */
static void retire(const struct hs_block *b, unsigned api, int keep, const void *frame)
{
	long off = hs_block_broken_canary(b);
	if (off >= 0) {
		if (!b->meta->free_stack) /* unsampled: not captured yet */
			b->meta->free_stack = hs_record_stack(frame);
		hs_report_canary(b, (size_t)off, HS_DETECTED_AT_FREE, api);
	}
	if (!keep) {
		release_untraced(b);
		return;
	}
	b->meta->state = HS_STATE_QUARANTINED;
	hs_quarantine_put(b);
}

/* The free is traced first: once released, another thread may reuse the
 * address, and its ALLOC must come after this FREE in the trace. */
static void release(const struct hs_block *b, unsigned api, const void *frame)
{
	if (HS_UNLIKELY(hs_rec_active)) {
		/* the free stack is kept for blocks whose later misuse a report
		 * must explain (quarantine), and traced when asked for */
		int keep = quarantined(b);
		uint32_t fs = keep ? hs_record_stack(frame) : hs_record_free_stack(frame);
		b->meta->free_stack = fs;
		hs_meta_set_release_api(b->meta, api);
		hs_trace_free(b->start, api, hs_opt.free_stacks ? fs : 0, current_tid());
		if (hs_detect_active) {
			retire(b, api, keep, frame);
			return;
		}
	}
	release_untraced(b);
}

/* Look p up for release by `api`; reports and returns -1 if it must not be
 * released. */
static int check_release(void *p, unsigned api, struct hs_block *b)
{
	enum hs_find f = hs_block_find(p, b);
	if (HS_UNLIKELY(f != HS_FIND_START)) {
		hs_report_bad_free(HS_BAD_INVALID, p, api, b);
		return -1;
	}
	if (HS_UNLIKELY(b->meta->state != HS_STATE_LIVE)) {
		hs_report_bad_free(HS_BAD_DOUBLE, p, api, b);
		return -1;
	}
	if (HS_UNLIKELY(hs_api_family(b->meta->api) != hs_api_family(api)))
		hs_report_bad_free(HS_BAD_MISMATCH, p, api, b);
	return 0;
}

void hs_free_at(void *p, unsigned api, const void *frame)
{
	if (!p)
		return;
	struct hs_block b;
	if (check_release(p, api, &b) == 0)
		release(&b, api, frame);
}

/* A realloc that moves: new block, copy, one REALLOC event, then the old
 * block goes back. */
static void *move(void *p, const struct hs_block *b, size_t size, unsigned api, uint32_t stack,
		  const void *frame)
{
	void *q = alloc_recorded(size, HS_MIN_ALIGN, api, 0, stack);
	if (!q)
		return NULL;
	memcpy(q, p, b->size < size ? b->size : size);
	if (HS_UNLIKELY(hs_rec_active))
		hs_trace_realloc(p, q, size, stack, current_tid());
	if (hs_detect_active) {
		b->meta->free_stack = stack;
		hs_meta_set_release_api(b->meta, HS_API_FREE); /* realloc frees as free does */
		retire(b, HS_API_REALLOC, quarantined(b), frame);
	} else {
		release_untraced(b);
	}
	return q;
}

/* Resize in place if the block's tier allows it; the new address (p) or
 * NULL. */
static void *resize_in_place(void *p, struct hs_block *b, size_t size)
{
	switch (b->kind) {
	case HS_BLOCK_SLAB:
		if (size <= HS_SLAB_MAX_SIZE && hs_slab_class_of(size) == b->cls) {
			struct hs_tcache *tc = hs_tl_cache;
			int64_t d = (int64_t)size - (int64_t)b->size;
			if (tc)
				tc->count[b->cls].requested += d;
			else
				hs_tcache_count_orphan(b->cls, 0, d);
			b->meta->size = (uint32_t)size;
			return p;
		}
		return NULL;
	case HS_BLOCK_BUDDY:
		if (size > HS_SLAB_MAX_SIZE && hs_buddy_resize(b->page, size) == 0)
			return p;
		return NULL;
	case HS_BLOCK_LARGE:
		/* mremap may move the mapping: still "in place" for the caller,
		 * no copy by us */
		return hs_buddy_order_for(size) < 0 ? hs_large_realloc(p, size) : NULL;
	case HS_BLOCK_GUARD:
		return NULL;
	}
	return NULL;
}

/* In place for a detecting run's unquarantined small block: its class must
 * keep a canary byte after the new size; an already broken canary makes it
 * move instead (retire reports it). */
static void *resize_canaried(void *p, struct hs_block *b, size_t size)
{
	if (b->kind != HS_BLOCK_SLAB || size >= HS_SLAB_MAX_SIZE || hs_slab_class_of(size + 1) != b->cls ||
	    hs_block_broken_canary(b) >= 0 || !resize_in_place(p, b, size))
		return NULL;
	hs_canary_fill((char *)p + size, (char *)p + b->usable);
	return p;
}

void *hs_realloc_at(void *p, size_t size, unsigned api, const void *frame)
{
	if (!p)
		return hs_alloc_at(size, HS_MIN_ALIGN, api, 0, frame);
	hs_ensure_init();
	struct hs_block b;
	if (check_release(p, api, &b) != 0) {
		/* Neither freed nor resized: the caller keeps what it had. */
		errno = ENOMEM;
		return NULL;
	}
	if (size == 0) {
		/* glibc: realloc(p, 0) frees p and returns NULL */
		release(&b, HS_API_FREE, frame);
		return NULL;
	}
	if (size > PTRDIFF_MAX)
		return fail_enomem();
	uint32_t stack = HS_UNLIKELY(hs_rec_active) ? hs_record_stack(frame) : 0;
	/* Detecting: move, so a stale pointer to the old block is caught by
	 * the quarantine — unless the block would not be quarantined. */
	void *q = !hs_detect_active ? resize_in_place(p, &b, size)
	      : !quarantined(&b)    ? resize_canaried(p, &b, size)
				    : NULL;
	if (q) {
		if (HS_UNLIKELY(hs_rec_active)) {
			hs_trace_realloc(p, q, size, stack, current_tid());
			b.meta->alloc_stack = stack;
			b.meta->api = (uint8_t)api; /* allocated by realloc now, as when it moves */
		}
		return q;
	}
	return move(p, &b, size, api, stack, frame);
}

size_t hs_usable_size(const void *p)
{
	struct hs_block b;
	if (!p || hs_block_find(p, &b) != HS_FIND_START || b.meta->state != HS_STATE_LIVE)
		return 0;
	/* Detecting: the slack holds canaries the program must not write. */
	return hs_detect_active ? b.size : b.usable;
}
