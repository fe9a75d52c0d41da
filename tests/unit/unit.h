/* unit.h — helpers shared by the Check unit suites: a runner that gives every
 * test a fresh allocator (each test runs in its own forked child and calls
 * hs_init there), capture of heapscope's messages on hs_err_fd, a cheap exact
 * check for hot loops, and a full consistency walk of the heap's page map
 * against the buddy allocator's counters.
 */
#ifndef HS_UNIT_H
#define HS_UNIT_H

#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "buddy.h"
#include "out.h"
#include "pagemap.h"
#include "slab.h"

/* Check's own assertion macros report their location to the parent on every
 * success (a write per call): far too slow inside a loop of a million
 * iterations. This one costs a compare unless it fails, and still checks an
 * exact value. */
#define UNIT_EQ(got, want, ctxfmt, ...)                                                 \
	do {                                                                            \
		uintmax_t unit_g_ = (uintmax_t)(got), unit_w_ = (uintmax_t)(want);      \
		if (unit_g_ != unit_w_)                                                 \
			ck_abort_msg("%s is %ju, expected %ju (" ctxfmt ")", #got, unit_g_, \
				     unit_w_, __VA_ARGS__);                             \
	} while (0)

/* Checked fixture, run in each test's own child. The parent never
 * allocates from heapscope, so every test starts from an allocator nobody
 * has used: either not initialised yet (hs_init does it here) or
 * initialised by a library constructor before main (record.c's) but still
 * untouched. */
static inline void unit_setup(void)
{
	hs_init();
}

static inline void unit_teardown(void)
{
}

/* Run a suite with one forked child per test whatever CK_FORK says: the
 * tests rely on starting from a fresh allocator. The allocator may read
 * HEAPSCOPE_OPTIONS before main (from a constructor): if it is set, run
 * again without it, so that every suite sees the defaults. */
static inline int unit_run(Suite *s, char **argv)
{
	if (getenv("HEAPSCOPE_OPTIONS")) {
		unsetenv("HEAPSCOPE_OPTIONS");
		execv("/proc/self/exe", argv);
		fprintf(stderr, "cannot run again without HEAPSCOPE_OPTIONS: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	SRunner *sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static inline TCase *unit_tcase(const char *name, int with_allocator)
{
	TCase *tc = tcase_create(name);
	if (with_allocator)
		tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
	tcase_set_timeout(tc, 60);
	return tc;
}

/* Capture of everything heapscope writes on hs_err_fd. */
struct unit_capture {
	int rd, wr, saved;
	char text[65536];
};

static inline void unit_capture_start(struct unit_capture *c)
{
	int fds[2];
	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	ck_assert_int_eq(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
	c->rd = fds[0];
	c->wr = fds[1];
	c->saved = hs_err_fd;
	hs_err_fd = c->wr;
}

/* What was written since the start or the last call, NUL-terminated. */
static inline const char *unit_capture_take(struct unit_capture *c)
{
	size_t n = 0;
	for (;;) {
		ssize_t r = read(c->rd, c->text + n, sizeof c->text - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	c->text[n] = '\0';
	return c->text;
}

static inline void unit_capture_stop(struct unit_capture *c)
{
	hs_err_fd = c->saved;
	close(c->rd);
	close(c->wr);
}

/* Walk every committed page of the heap and check the page map's
 * invariants (pagemap.h): each page belongs to exactly one buddy block whose
 * head is a FREE, BLOCK or SLAB entry aligned to its order; the other pages
 * of a FREE or BLOCK block are NONE, every page of a slab is SLAB and points
 * to the slab's descriptor; no free block has a free buddy of its own order
 * (merging is eager); and the blocks counted match hs_buddy_stats. Not for
 * heaps holding raw hs_buddy_alloc(user = 0) blocks, which only slab.c marks. */
static inline void unit_heap_check(void)
{
	struct hs_buddy_stats st;
	hs_buddy_stats(&st);
	uint64_t top = st.committed >> HS_PAGE_SHIFT;
	uint64_t nfree[HS_BUDDY_ORDERS] = {0}, nused[HS_BUDDY_ORDERS] = {0};
	uint64_t nslab[HS_BUDDY_ORDERS] = {0}, req[HS_BUDDY_ORDERS] = {0};
	uint64_t zero = 0;
	ck_assert_uint_eq(st.committed % HS_CHUNK_SIZE, 0);
	for (uint64_t i = 0; i < top;) {
		const hs_page_t *p = &hs_heap.map[i];
		unsigned o = p->order;
		uint64_t n = (uint64_t)1 << o;
		if (o > HS_BUDDY_MAX_ORDER)
			ck_abort_msg("page %ju: order %u", (uintmax_t)i, o);
		UNIT_EQ(i & (n - 1), 0, "head %ju misaligned for order %u", (uintmax_t)i, o);
		if (i + n > top)
			ck_abort_msg("page %ju: block of order %u passes the top", (uintmax_t)i, o);
		switch (p->kind) {
		case HS_PAGE_FREE:
			nfree[o]++;
			if (p->flags & HS_PAGE_ZERO)
				zero += HS_PAGE_SIZE << o;
			if (o < HS_BUDDY_MAX_ORDER) {
				uint64_t b = i ^ n;
				if (b < top && hs_heap.map[b].kind == HS_PAGE_FREE &&
				    hs_heap.map[b].order == o)
					ck_abort_msg("free blocks %ju and %ju of order %u are buddies",
						     (uintmax_t)i, (uintmax_t)b, o);
			}
			/* fall through */
		case HS_PAGE_BLOCK:
			if (p->kind == HS_PAGE_BLOCK) {
				nused[o]++;
				req[o] += p->u.meta.size;
				if (p->u.meta.size > (HS_PAGE_SIZE << o))
					ck_abort_msg("block %ju: size %u over its order %u",
						     (uintmax_t)i, p->u.meta.size, o);
			}
			for (uint64_t k = 1; k < n; k++)
				UNIT_EQ(hs_heap.map[i + k].kind, HS_PAGE_NONE, "page %ju of block %ju",
					(uintmax_t)(i + k), (uintmax_t)i);
			break;
		case HS_PAGE_SLAB: {
			const struct hs_slab *s = p->slab;
			nslab[o]++;
			if (!s)
				ck_abort_msg("slab page %ju without a descriptor", (uintmax_t)i);
			UNIT_EQ(s->page, i, "slab descriptor of page %ju", (uintmax_t)i);
			UNIT_EQ((uintptr_t)s->base, (uintptr_t)hs_page_addr((uint32_t)i), "slab %ju base",
				(uintmax_t)i);
			UNIT_EQ(hs_slab_classes[s->cls].order, o, "slab %ju order", (uintmax_t)i);
			for (uint64_t k = 0; k < n; k++) {
				UNIT_EQ(hs_heap.map[i + k].kind, HS_PAGE_SLAB, "page %ju of slab %ju",
					(uintmax_t)(i + k), (uintmax_t)i);
				UNIT_EQ((uintptr_t)hs_heap.map[i + k].slab, (uintptr_t)s,
					"page %ju of slab %ju", (uintmax_t)(i + k), (uintmax_t)i);
			}
			break;
		}
		default:
			ck_abort_msg("page %ju: head of kind %u", (uintmax_t)i, p->kind);
		}
		i += n;
	}
	for (unsigned o = 0; o < HS_BUDDY_ORDERS; o++) {
		UNIT_EQ(nfree[o], st.free_blocks[o], "free blocks of order %u", o);
		UNIT_EQ(nused[o], st.used_blocks[o], "user blocks of order %u", o);
		UNIT_EQ(nslab[o], st.slab_blocks[o], "slab blocks of order %u", o);
		UNIT_EQ(req[o], st.requested[o], "requested bytes of order %u", o);
	}
	UNIT_EQ(zero, st.zero_free, "zero free bytes%s", "");
}

/* Deterministic pseudo-random numbers (64-bit LCG, Knuth's MMIX constants). */
static inline uint32_t unit_rand(uint64_t *state)
{
	*state = *state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*state >> 33);
}

#endif
