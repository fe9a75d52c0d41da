/* quarantine.c — a FIFO of freed blocks bounded by bytes (quarantine_mb)
 * and by count, as ASan's and Scudo's quarantines.
 *
 * While a block waits here its address is not reused, so a dangling pointer
 * still points at the freed block: a guarded block's pages are PROT_NONE (an
 * access faults and fault.c explains it with the free stack); any other
 * block is filled with HS_POISON_FREE (its first HS_POISON_MAX bytes), verified
 * when it leaves: a changed byte is a write after free, reported with the
 * offset and the block's allocation and free stacks.
 *
 * One ring under `lock`; evicted blocks are checked and released after the
 * lock is dropped (release may take allocator locks).
 */
#include "quarantine.h"

#include <string.h>

#include <heapscope/trace_format.h>

#include "hs_internal.h"
#include "lock.h"
#include "magic.h"
#include "options.h"
#include "pagemap.h"
#include "pages.h"
#include "report.h"

#define RING (1u << 18) /* entries at most */

struct entry {
	struct hs_block b; /* b.slot for a guarded block (kind GUARD) */
};

static struct hs_guard_slot *guard_slot(const struct entry *e)
{
	return e->b.kind == HS_BLOCK_GUARD ? e->b.slot : NULL;
}

static struct {
	hs_lock_t lock;
	struct entry *ring;
	uint32_t head, count; /* oldest at head */
	size_t bytes;
	int failed;
	struct hs_quarantine_tally tally; /* of the blocks in the ring */
} q;

/* Count a block into (dir 1) or out of (dir -1) the tally. Lock held. */
static void tally_locked(const struct entry *e, int dir)
{
	struct hs_quarantine_tally *t = &q.tally;
	uint64_t d = (uint64_t)(int64_t)dir, req = e->b.size * d;
	switch (e->b.kind) {
	case HS_BLOCK_SLAB:
		t->cls_count[e->b.cls] += d;
		t->cls_requested[e->b.cls] += req;
		break;
	case HS_BLOCK_BUDDY: {
		unsigned order = hs_heap.map[e->b.page].order;
		t->order_count[order] += d;
		t->order_requested[order] += req;
		break;
	}
	case HS_BLOCK_LARGE:
		t->large_blocks += d;
		t->large_requested += req;
		t->large_mapped += e->b.usable * d;
		break;
	}
}

void hs_quarantine_tally(struct hs_quarantine_tally *out)
{
	hs_lock(&q.lock);
	*out = q.tally;
	hs_unlock(&q.lock);
}

static size_t cost(const struct entry *e)
{
	return guard_slot(e) ? hs_guard_slot_bytes(guard_slot(e)) : e->b.usable;
}

/* Offset of the first byte in [p, p+n) that is not poison, or n. Compares
 * words: blocks are 16-byte aligned. */
static size_t first_unpoisoned(const uint8_t *p, size_t n)
{
	const uint64_t word = 0x0101010101010101ull * HS_POISON_FREE;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t v;
		memcpy(&v, p + i, 8);
		if (v != word)
			break;
	}
	for (; i < n; i++)
		if (p[i] != HS_POISON_FREE)
			return i;
	return n;
}

/* detected: where the check happens, the free that evicts e (at-free) or
 * the drain at exit (at-exit). */
static void check_and_release(struct entry *e, unsigned detected)
{
	if (!guard_slot(e)) {
		size_t n = e->b.size < HS_POISON_MAX ? e->b.size : HS_POISON_MAX;
		size_t bad = first_unpoisoned((const uint8_t *)e->b.start, n);
		if (bad < n)
			hs_report_write_after_free(&e->b, bad, detected);
	}
	e->b.meta->state = HS_STATE_FREE;
	hs_release_memory(&e->b);
}

/* The oldest entry out of the ring (q.count > 0). */
static void pop_locked(struct entry *out)
{
	*out = q.ring[q.head];
	tally_locked(out, -1);
	q.bytes -= cost(out);
	q.head = (q.head + 1) % RING;
	q.count--;
}

void hs_quarantine_put(const struct hs_block *b)
{
	struct entry e = {*b};
	if (guard_slot(&e))
		hs_guard_retire(guard_slot(&e));
	else
		memset(b->start, HS_POISON_FREE, b->size < HS_POISON_MAX ? b->size : HS_POISON_MAX);
	size_t budget = (size_t)hs_opt.quarantine_mb << 20;
	if (cost(&e) > budget) {
		check_and_release(&e, HS_DETECTED_AT_FREE);
		return;
	}
	struct entry out[8];
	unsigned nout = 0;
	hs_lock(&q.lock);
	if (!q.ring && !q.failed) {
		q.ring = hs_pages_map_internal(RING * sizeof *q.ring, HS_PAGES_LAZY);
		q.failed = !q.ring;
	}
	if (!q.ring) {
		hs_unlock(&q.lock);
		check_and_release(&e, HS_DETECTED_AT_FREE);
		return;
	}
	/* Make room: at most a few evictions per free keeps the cost bounded
	 * (the budget may be exceeded briefly by one large block). */
	while ((q.count == RING || q.bytes + cost(&e) > budget) && q.count && nout < 8) {
		pop_locked(&out[nout++]);
	}
	if (q.count == RING) {
		hs_unlock(&q.lock);
		for (unsigned i = 0; i < nout; i++)
			check_and_release(&out[i], HS_DETECTED_AT_FREE);
		check_and_release(&e, HS_DETECTED_AT_FREE);
		return;
	}
	q.ring[(q.head + q.count) % RING] = e;
	q.count++;
	q.bytes += cost(&e);
	tally_locked(&e, 1);
	hs_unlock(&q.lock);
	for (unsigned i = 0; i < nout; i++)
		check_and_release(&out[i], HS_DETECTED_AT_FREE);
}

void hs_quarantine_drain(void)
{
	for (;;) {
		hs_lock(&q.lock);
		if (!q.count) {
			hs_unlock(&q.lock);
			return;
		}
		struct entry e;
		pop_locked(&e);
		hs_unlock(&q.lock);
		check_and_release(&e, HS_DETECTED_AT_EXIT);
	}
}

void hs_quarantine_lock(void)
{
	hs_lock(&q.lock);
}

void hs_quarantine_unlock(void)
{
	hs_unlock(&q.lock);
}

void hs_quarantine_reset_lock(void)
{
	hs_lock_reset(&q.lock);
}

size_t hs_quarantine_bytes(void)
{
	return __atomic_load_n(&q.bytes, __ATOMIC_RELAXED);
}
