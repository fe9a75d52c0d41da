/* check_buddy.c — the binary buddy allocator (buddy.h): hs_buddy_order_for
 * at every boundary, splitting of a fresh chunk, merging with the buddy and
 * only the buddy, no overlap among many seeded random allocations, resizing
 * in place (shrink, grow into free buddies, refusal), exhaustion of the heap
 * (both the real 64 GiB limit and a lowered hs_heap.npages), the zeroed flag
 * (fresh, dirty, merged, trimmed and decommitted memory), and the counters
 * of hs_buddy_stats throughout.
 *
 * Every test starts on a fresh heap, so page indices are deterministic: the
 * first chunk is pages 0..255.
 */
#include "unit.h"

#include "options.h"

#define CHUNK_PAGES (1u << HS_BUDDY_MAX_ORDER)

static struct hs_buddy_stats stats(void)
{
	struct hs_buddy_stats st;
	hs_buddy_stats(&st);
	return st;
}

/* free_blocks[] equals the HS_BUDDY_ORDERS values given. */
static void assert_free(const uint64_t *want)
{
	struct hs_buddy_stats st = stats();
	for (unsigned o = 0; o < HS_BUDDY_ORDERS; o++)
		UNIT_EQ(st.free_blocks[o], want[o], "free blocks of order %u", o);
}

static void assert_page(uint32_t i, unsigned kind, unsigned order)
{
	ck_assert_uint_eq(hs_heap.map[i].kind, kind);
	ck_assert_uint_eq(hs_heap.map[i].order, order);
}

/* Every byte of [p, p + n) equals c. */
static void assert_bytes(const void *p, size_t n, unsigned char c)
{
	const unsigned char *b = p;
	for (size_t k = 0; k < n; k++)
		UNIT_EQ(b[k], c, "byte %zu of %p", k, p);
}

START_TEST(test_order_for)
{
	ck_assert_int_eq(hs_buddy_order_for(0), 0);
	ck_assert_int_eq(hs_buddy_order_for(1), 0);
	for (unsigned o = 0; o < HS_BUDDY_ORDERS; o++) {
		size_t sz = HS_PAGE_SIZE << o;
		ck_assert_int_eq(hs_buddy_order_for(sz - 1), (int)o);
		ck_assert_int_eq(hs_buddy_order_for(sz), (int)o);
		ck_assert_int_eq(hs_buddy_order_for(sz + 1), o == HS_BUDDY_MAX_ORDER ? -1 : (int)o + 1);
	}
	ck_assert_int_eq(hs_buddy_order_for(4097), 1);
	ck_assert_int_eq(hs_buddy_order_for((size_t)1 << 20), 8);
	ck_assert_int_eq(hs_buddy_order_for(((size_t)1 << 20) + 1), -1);
	ck_assert_int_eq(hs_buddy_order_for(SIZE_MAX), -1);
}
END_TEST

START_TEST(test_split_fresh_chunk)
{
	int z = -1;
	ck_assert_uint_eq(hs_buddy_alloc(0, 1, 100, &z), 0);
	ck_assert_int_eq(z, 1);
	/* one free block at each order 0..7, none of order 8 */
	static const uint64_t after_one[HS_BUDDY_ORDERS] = {1, 1, 1, 1, 1, 1, 1, 1, 0};
	assert_free(after_one);
	struct hs_buddy_stats st = stats();
	ck_assert_uint_eq(st.used_blocks[0], 1);
	ck_assert_uint_eq(st.requested[0], 100);
	ck_assert_uint_eq(st.committed, HS_CHUNK_SIZE);
	ck_assert_uint_eq(st.zero_free, HS_CHUNK_SIZE - HS_PAGE_SIZE);
	for (unsigned o = 0; o < HS_BUDDY_ORDERS; o++)
		ck_assert_uint_eq(st.slab_blocks[o], 0);
	/* the map: a user block at 0, free halves at 1, 2, 4, ..., 128 */
	assert_page(0, HS_PAGE_BLOCK, 0);
	ck_assert_uint_eq(hs_heap.map[0].u.meta.size, 100);
	ck_assert_uint_eq(hs_heap.map[0].u.meta.state, HS_STATE_FREE);
	for (unsigned o = 0; o < HS_BUDDY_MAX_ORDER; o++) {
		assert_page(1u << o, HS_PAGE_FREE, o);
		ck_assert_uint_eq(hs_heap.map[1u << o].flags, HS_PAGE_ZERO);
	}
	unit_heap_check();

	/* the next ones come from the smallest free blocks, lowest first */
	ck_assert_uint_eq(hs_buddy_alloc(0, 1, 1, &z), 1);
	ck_assert_uint_eq(hs_buddy_alloc(0, 1, 1, &z), 2);
	/* no free order-1 block left: the order-2 block at 4 is split, 6 stays */
	ck_assert_uint_eq(hs_buddy_alloc(1, 1, 5000, &z), 4);
	ck_assert_uint_eq(hs_buddy_alloc(7, 1, 1, &z), 128);
	static const uint64_t after_five[HS_BUDDY_ORDERS] = {1, 1, 0, 1, 1, 1, 1, 0, 0};
	assert_free(after_five);
	unit_heap_check();
	hs_buddy_free(0);
	hs_buddy_free(1);
	hs_buddy_free(2);
	hs_buddy_free(4);
	hs_buddy_free(128);
	static const uint64_t whole[HS_BUDDY_ORDERS] = {0, 0, 0, 0, 0, 0, 0, 0, 1};
	assert_free(whole);
	st = stats();
	ck_assert_uint_eq(st.used_blocks[0], 0);
	ck_assert_uint_eq(st.requested[0], 0);
	ck_assert_uint_eq(st.zero_free, 0); /* merged with dirty blocks */
	unit_heap_check();
}
END_TEST

START_TEST(test_merge_buddy_only)
{
	for (uint32_t i = 0; i < 4; i++)
		ck_assert_uint_eq(hs_buddy_alloc(0, 1, 1, NULL), i);
	static const uint64_t four[HS_BUDDY_ORDERS] = {0, 0, 1, 1, 1, 1, 1, 1, 0};
	assert_free(four);

	/* 1 and 2 are neighbours of the same order but not buddies */
	hs_buddy_free(1);
	hs_buddy_free(2);
	static const uint64_t no_merge[HS_BUDDY_ORDERS] = {2, 0, 1, 1, 1, 1, 1, 1, 0};
	assert_free(no_merge);
	assert_page(1, HS_PAGE_FREE, 0);
	assert_page(2, HS_PAGE_FREE, 0);
	unit_heap_check();

	/* 0's buddy is 1: they merge, and stop at order 1 (2 is order 0) */
	hs_buddy_free(0);
	static const uint64_t one_merge[HS_BUDDY_ORDERS] = {1, 1, 1, 1, 1, 1, 1, 1, 0};
	assert_free(one_merge);
	assert_page(0, HS_PAGE_FREE, 1);
	ck_assert_uint_eq(hs_heap.map[1].kind, HS_PAGE_NONE);
	unit_heap_check();

	/* 3 completes everything back into the chunk */
	hs_buddy_free(3);
	static const uint64_t whole[HS_BUDDY_ORDERS] = {0, 0, 0, 0, 0, 0, 0, 0, 1};
	assert_free(whole);
	assert_page(0, HS_PAGE_FREE, HS_BUDDY_MAX_ORDER);
	unit_heap_check();
}
END_TEST

/* Two chunks never merge with each other: order 8 is the top. */
START_TEST(test_no_merge_across_chunks)
{
	ck_assert_uint_eq(hs_buddy_alloc(8, 1, 1, NULL), 0);
	ck_assert_uint_eq(hs_buddy_alloc(8, 1, 1, NULL), CHUNK_PAGES);
	hs_buddy_free(0);
	hs_buddy_free(CHUNK_PAGES);
	static const uint64_t two[HS_BUDDY_ORDERS] = {0, 0, 0, 0, 0, 0, 0, 0, 2};
	assert_free(two);
	assert_page(0, HS_PAGE_FREE, 8);
	assert_page(CHUNK_PAGES, HS_PAGE_FREE, 8);
	ck_assert_uint_eq(stats().committed, 2 * HS_CHUNK_SIZE);
	unit_heap_check();
}
END_TEST

START_TEST(test_random_no_overlap)
{
	enum { MAXLIVE = 300, OPS = 6000, MAP_PAGES = 1 << 20 };
	static struct { uint32_t page; unsigned order; uint32_t tag; } live[MAXLIVE];
	unsigned char *owner = calloc(MAP_PAGES, 1);
	ck_assert_ptr_nonnull(owner);
	unsigned nlive = 0;
	uint64_t seed = 12345;
	uint64_t want_used[HS_BUDDY_ORDERS] = {0};
	for (unsigned op = 0; op < OPS; op++) {
		uint32_t r = unit_rand(&seed);
		if (nlive == 0 || (nlive < MAXLIVE && r % 100 < 55)) {
			/* small orders more often, as programs do */
			unsigned order = unit_rand(&seed) % 16;
			if (order > HS_BUDDY_MAX_ORDER)
				order %= 3;
			int z;
			uint32_t page = hs_buddy_alloc(order, 1, 1, &z);
			ck_assert_uint_ne(page, HS_NIL);
			uint32_t n = 1u << order;
			UNIT_EQ(page & (n - 1), 0, "op %u order %u", op, order);
			ck_assert_uint_le(page + n, MAP_PAGES);
			for (uint32_t k = 0; k < n; k++)
				UNIT_EQ(owner[page + k], 0, "op %u: page %u handed out twice", op, page + k);
			memset(owner + page, 1, n);
			char *p = hs_page_addr(page);
			size_t bytes = HS_PAGE_SIZE << order;
			if (z) {
				for (size_t k = 0; k < bytes; k += 1024)
					UNIT_EQ(p[k], 0, "op %u: zeroed block byte %zu", op, k);
				UNIT_EQ(p[bytes - 1], 0, "op %u: zeroed block last byte%s", op, "");
			}
			uint32_t tag = unit_rand(&seed) | 1;
			memcpy(p, &tag, sizeof tag);
			memcpy(p + bytes - sizeof tag, &tag, sizeof tag);
			live[nlive].page = page;
			live[nlive].order = order;
			live[nlive].tag = tag;
			nlive++;
			want_used[order]++;
		} else {
			unsigned k = unit_rand(&seed) % nlive;
			char *p = hs_page_addr(live[k].page);
			size_t bytes = HS_PAGE_SIZE << live[k].order;
			uint32_t a, b;
			memcpy(&a, p, sizeof a);
			memcpy(&b, p + bytes - sizeof b, sizeof b);
			UNIT_EQ(a, live[k].tag, "op %u: block %u overwritten", op, live[k].page);
			UNIT_EQ(b, live[k].tag, "op %u: block %u overwritten", op, live[k].page);
			memset(owner + live[k].page, 0, (size_t)1 << live[k].order);
			hs_buddy_free(live[k].page);
			want_used[live[k].order]--;
			live[k] = live[--nlive];
		}
		if (op % 500 == 0) {
			struct hs_buddy_stats st = stats();
			for (unsigned o = 0; o < HS_BUDDY_ORDERS; o++)
				UNIT_EQ(st.used_blocks[o], want_used[o], "op %u order %u", op, o);
			unit_heap_check();
		}
	}
	while (nlive)
		hs_buddy_free(live[--nlive].page);
	struct hs_buddy_stats st = stats();
	for (unsigned o = 0; o < HS_BUDDY_MAX_ORDER; o++) {
		ck_assert_uint_eq(st.free_blocks[o], 0);
		ck_assert_uint_eq(st.used_blocks[o], 0);
	}
	ck_assert_uint_eq(st.free_blocks[HS_BUDDY_MAX_ORDER], st.committed / HS_CHUNK_SIZE);
	unit_heap_check();
	free(owner);
}
END_TEST

START_TEST(test_resize)
{
	struct hs_buddy_stats st;
	ck_assert_uint_eq(hs_buddy_alloc(3, 1, 30000, NULL), 0);

	/* shrink 8 pages → 2: the upper halves 4 (order 2) and 2 (order 1)
	 * become free, and cannot merge with the block itself */
	ck_assert_int_eq(hs_buddy_resize(0, 5000), 0);
	assert_page(0, HS_PAGE_BLOCK, 1);
	ck_assert_uint_eq(hs_heap.map[0].u.meta.size, 5000);
	assert_page(2, HS_PAGE_FREE, 1);
	assert_page(4, HS_PAGE_FREE, 2);
	static const uint64_t shrunk[HS_BUDDY_ORDERS] = {0, 1, 1, 1, 1, 1, 1, 1, 0};
	assert_free(shrunk);
	st = stats();
	ck_assert_uint_eq(st.used_blocks[3], 0);
	ck_assert_uint_eq(st.used_blocks[1], 1);
	ck_assert_uint_eq(st.requested[3], 0);
	ck_assert_uint_eq(st.requested[1], 5000);
	unit_heap_check();

	/* grow back: buddies 2 (order 1) and 4 (order 2) are free */
	ck_assert_int_eq(hs_buddy_resize(0, 30000), 0);
	assert_page(0, HS_PAGE_BLOCK, 3);
	ck_assert_uint_eq(hs_heap.map[2].kind, HS_PAGE_NONE);
	ck_assert_uint_eq(hs_heap.map[4].kind, HS_PAGE_NONE);
	static const uint64_t regrown[HS_BUDDY_ORDERS] = {0, 0, 0, 1, 1, 1, 1, 1, 0};
	assert_free(regrown);
	st = stats();
	ck_assert_uint_eq(st.used_blocks[1], 0);
	ck_assert_uint_eq(st.used_blocks[3], 1);
	ck_assert_uint_eq(st.requested[3], 30000);
	unit_heap_check();

	/* refused: the order-3 buddy (page 8) is in use */
	ck_assert_uint_eq(hs_buddy_alloc(3, 1, 100, NULL), 8);
	struct hs_buddy_stats before = stats();
	ck_assert_int_eq(hs_buddy_resize(0, 60000), -1);
	assert_page(0, HS_PAGE_BLOCK, 3);
	ck_assert_uint_eq(hs_heap.map[0].u.meta.size, 30000);
	st = stats();
	ck_assert_mem_eq(&st, &before, sizeof st);
	/* refused: above the largest order */
	ck_assert_int_eq(hs_buddy_resize(0, ((size_t)1 << 20) + 1), -1);
	ck_assert_uint_eq(hs_heap.map[0].u.meta.size, 30000);

	/* same order: only the recorded size changes */
	ck_assert_int_eq(hs_buddy_resize(8, 20000), 0);
	assert_page(8, HS_PAGE_BLOCK, 3);
	ck_assert_uint_eq(hs_heap.map[8].u.meta.size, 20000);
	ck_assert_uint_eq(stats().requested[3], 50000);

	/* refused: 8 would have to grow downwards, even with its buddy free */
	hs_buddy_free(0);
	assert_page(0, HS_PAGE_FREE, 3);
	ck_assert_int_eq(hs_buddy_resize(8, 60000), -1);
	assert_page(8, HS_PAGE_BLOCK, 3);

	/* shrink 8 to one page: 12, 10 and 9 free */
	ck_assert_int_eq(hs_buddy_resize(8, 4096), 0);
	assert_page(8, HS_PAGE_BLOCK, 0);
	assert_page(9, HS_PAGE_FREE, 0);
	assert_page(10, HS_PAGE_FREE, 1);
	assert_page(12, HS_PAGE_FREE, 2);
	static const uint64_t small[HS_BUDDY_ORDERS] = {1, 1, 1, 1, 1, 1, 1, 1, 0};
	assert_free(small);
	unit_heap_check();

	/* freeing it merges everything */
	hs_buddy_free(8);
	static const uint64_t whole[HS_BUDDY_ORDERS] = {0, 0, 0, 0, 0, 0, 0, 0, 1};
	assert_free(whole);
	st = stats();
	for (unsigned o = 0; o < HS_BUDDY_ORDERS; o++) {
		ck_assert_uint_eq(st.used_blocks[o], 0);
		ck_assert_uint_eq(st.requested[o], 0);
	}
	unit_heap_check();
}
END_TEST

START_TEST(test_resize_to_chunk)
{
	ck_assert_uint_eq(hs_buddy_alloc(0, 1, 10, NULL), 0);
	ck_assert_int_eq(hs_buddy_resize(0, (size_t)1 << 20), 0);
	assert_page(0, HS_PAGE_BLOCK, HS_BUDDY_MAX_ORDER);
	static const uint64_t none[HS_BUDDY_ORDERS] = {0};
	assert_free(none);
	struct hs_buddy_stats st = stats();
	ck_assert_uint_eq(st.used_blocks[HS_BUDDY_MAX_ORDER], 1);
	ck_assert_uint_eq(st.used_blocks[0], 0);
	ck_assert_uint_eq(st.requested[HS_BUDDY_MAX_ORDER], (size_t)1 << 20);
	ck_assert_uint_eq(st.zero_free, 0);
	unit_heap_check();
	hs_buddy_free(0);
	static const uint64_t whole[HS_BUDDY_ORDERS] = {0, 0, 0, 0, 0, 0, 0, 0, 1};
	assert_free(whole);
}
END_TEST

/* A grow needs every buddy on the way up: one used page blocks it. */
START_TEST(test_resize_partly_free)
{
	ck_assert_uint_eq(hs_buddy_alloc(0, 1, 10, NULL), 0);
	ck_assert_uint_eq(hs_buddy_alloc(0, 1, 10, NULL), 1);
	ck_assert_uint_eq(hs_buddy_alloc(0, 1, 10, NULL), 2);
	hs_buddy_free(1);
	/* to order 2: 1 is free, but 2..3 is not a free order-1 block */
	ck_assert_int_eq(hs_buddy_resize(0, 16384), -1);
	assert_page(0, HS_PAGE_BLOCK, 0);
	assert_page(1, HS_PAGE_FREE, 0);
	/* to order 1 is fine */
	ck_assert_int_eq(hs_buddy_resize(0, 8192), 0);
	assert_page(0, HS_PAGE_BLOCK, 1);
	ck_assert_uint_eq(hs_heap.map[1].kind, HS_PAGE_NONE);
	unit_heap_check();
}
END_TEST

/* A slab block (user = 0) is counted apart and its head left unmarked. */
START_TEST(test_slab_block_accounting)
{
	int z = -1;
	ck_assert_uint_eq(hs_buddy_alloc(1, 0, 0, &z), 0);
	ck_assert_int_eq(z, 1);
	ck_assert_uint_eq(hs_heap.map[0].kind, HS_PAGE_NONE);
	ck_assert_uint_eq(hs_heap.map[0].order, 1);
	struct hs_buddy_stats st = stats();
	ck_assert_uint_eq(st.slab_blocks[1], 1);
	for (unsigned o = 0; o < HS_BUDDY_ORDERS; o++) {
		ck_assert_uint_eq(st.used_blocks[o], 0);
		ck_assert_uint_eq(st.requested[o], 0);
	}
	hs_buddy_free(0);
	st = stats();
	ck_assert_uint_eq(st.slab_blocks[1], 0);
	ck_assert_uint_eq(st.free_blocks[HS_BUDDY_MAX_ORDER], 1);
	unit_heap_check();
}
END_TEST

/* With hs_heap.npages lowered to three chunks (hs_heap is a global: a
 * legitimate test hook), the fourth chunk is refused. */
START_TEST(test_exhaustion_lowered)
{
	hs_heap.npages = 3 * CHUNK_PAGES;
	ck_assert_uint_eq(hs_buddy_alloc(8, 1, 1, NULL), 0);
	ck_assert_uint_eq(hs_buddy_alloc(8, 1, 1, NULL), CHUNK_PAGES);
	ck_assert_uint_eq(hs_buddy_alloc(8, 1, 1, NULL), 2 * CHUNK_PAGES);
	ck_assert_uint_eq(hs_buddy_alloc(8, 1, 1, NULL), HS_NIL);
	ck_assert_uint_eq(hs_buddy_alloc(0, 1, 1, NULL), HS_NIL);
	ck_assert_uint_eq(hs_buddy_alloc(0, 0, 0, NULL), HS_NIL);
	struct hs_buddy_stats st = stats();
	ck_assert_uint_eq(st.committed, 3 * HS_CHUNK_SIZE);
	ck_assert_uint_eq(st.used_blocks[8], 3);
	ck_assert_uint_eq(st.slab_blocks[0], 0);
	/* a freed chunk is reused; only what fits comes out of it */
	hs_buddy_free(CHUNK_PAGES);
	ck_assert_uint_eq(hs_buddy_alloc(0, 1, 1, NULL), CHUNK_PAGES);
	ck_assert_uint_eq(hs_buddy_alloc(8, 1, 1, NULL), HS_NIL);
	ck_assert_uint_eq(hs_buddy_alloc(7, 1, 1, NULL), CHUNK_PAGES + 128);
	ck_assert_uint_eq(hs_buddy_alloc(7, 1, 1, NULL), HS_NIL);
	ck_assert_uint_eq(stats().committed, 3 * HS_CHUNK_SIZE);
	unit_heap_check();
}
END_TEST

/* The real limit: every chunk of the reserved heap, then HS_NIL. Committing
 * is an mprotect and the chunks are never touched, so this costs 64 K
 * system calls (about 0.2 s) — but one page-map entry per chunk is written,
 * and the page map's pages are 4 KiB apart per two chunks: about 256 MiB
 * of the map becomes resident for the duration of this one test. */
START_TEST(test_exhaustion_full)
{
	uint32_t chunks = hs_heap.npages / CHUNK_PAGES;
	ck_assert_uint_ge(chunks, 256); /* at least HS_HEAP_RESERVE_MIN */
	uint32_t n = 0, page;
	while ((page = hs_buddy_alloc(8, 1, 1, NULL)) != HS_NIL) {
		UNIT_EQ(page, n * CHUNK_PAGES, "chunk %u", n);
		n++;
	}
	ck_assert_uint_eq(n, chunks);
	ck_assert_uint_eq(hs_buddy_alloc(0, 1, 1, NULL), HS_NIL);
	struct hs_buddy_stats st = stats();
	ck_assert_uint_eq(st.committed, (uint64_t)chunks * HS_CHUNK_SIZE);
	ck_assert_uint_eq(st.used_blocks[8], chunks);
	/* the last chunk's memory works */
	char *last = hs_page_addr((chunks - 1) * CHUNK_PAGES);
	memset(last, 0x77, HS_CHUNK_SIZE);
	ck_assert_uint_eq((unsigned char)last[HS_CHUNK_SIZE - 1], 0x77);
	hs_buddy_free((chunks - 1) * CHUNK_PAGES);
	ck_assert_uint_eq(hs_buddy_alloc(0, 1, 1, NULL), (chunks - 1) * CHUNK_PAGES);
	ck_assert_uint_eq(hs_buddy_alloc(8, 1, 1, NULL), HS_NIL);
}
END_TEST

/* The zeroed flag: true on fresh memory, false on reused dirty memory, true
 * again once hs_buddy_trim has given it back to the kernel. */
START_TEST(test_zeroed_trim)
{
	int z = -1;
	ck_assert_uint_eq(hs_buddy_alloc(2, 1, 16384, &z), 0);
	ck_assert_int_eq(z, 1);
	char *p = hs_page_addr(0);
	assert_bytes(p, 16384, 0);
	memset(p, 0xA5, 16384);
	hs_buddy_free(0);
	/* merged with its (clean) buddies: the chunk is dirty as a whole */
	ck_assert_uint_eq(stats().zero_free, 0);
	ck_assert_uint_eq(hs_heap.map[0].flags, 0);

	z = -1;
	ck_assert_uint_eq(hs_buddy_alloc(2, 1, 16384, &z), 0);
	ck_assert_int_eq(z, 0);
	assert_bytes(p, 16384, 0xA5); /* and indeed it is not zero */
	/* the halves split off a dirty block are dirty too */
	ck_assert_uint_eq(hs_buddy_alloc(7, 1, 1, &z), 128);
	ck_assert_int_eq(z, 0);
	hs_buddy_free(128);
	hs_buddy_free(0);

	ck_assert_uint_eq(hs_buddy_trim(), HS_CHUNK_SIZE);
	ck_assert_uint_eq(stats().zero_free, HS_CHUNK_SIZE);
	ck_assert_uint_eq(hs_buddy_trim(), 0); /* nothing left to give back */
	z = -1;
	ck_assert_uint_eq(hs_buddy_alloc(2, 1, 16384, &z), 0);
	ck_assert_int_eq(z, 1);
	assert_bytes(p, 16384, 0);
	ck_assert_uint_eq(stats().zero_free, HS_CHUNK_SIZE - 16384);
	unit_heap_check();
}
END_TEST

/* retain_chunks dirty free chunks are kept; the next one is decommitted
 * (and so reads as zero and is flagged zeroed). */
START_TEST(test_zeroed_retain)
{
	ck_assert_uint_eq(hs_opt.retain_chunks, 4);
	uint32_t pages[5];
	for (unsigned k = 0; k < 5; k++) {
		int z = -1;
		pages[k] = hs_buddy_alloc(8, 1, HS_CHUNK_SIZE, &z);
		ck_assert_uint_eq(pages[k], k * CHUNK_PAGES);
		ck_assert_int_eq(z, 1);
		memset(hs_page_addr(pages[k]), 0x5A, HS_CHUNK_SIZE);
	}
	for (unsigned k = 0; k < 4; k++) {
		hs_buddy_free(pages[k]);
		ck_assert_uint_eq(stats().zero_free, 0);
		ck_assert_uint_eq(stats().free_blocks[8], k + 1);
	}
	hs_buddy_free(pages[4]);
	ck_assert_uint_eq(stats().zero_free, HS_CHUNK_SIZE);
	ck_assert_uint_eq(hs_heap.map[pages[4]].flags, HS_PAGE_ZERO);
	assert_bytes(hs_page_addr(pages[4]), HS_CHUNK_SIZE, 0);
	unit_heap_check();

	/* LIFO: the decommitted chunk comes back first, zeroed; then a dirty one */
	int z = -1;
	ck_assert_uint_eq(hs_buddy_alloc(8, 1, 1, &z), pages[4]);
	ck_assert_int_eq(z, 1);
	ck_assert_uint_eq(hs_buddy_alloc(8, 1, 1, &z), pages[3]);
	ck_assert_int_eq(z, 0);
	assert_bytes(hs_page_addr(pages[3]), HS_CHUNK_SIZE, 0x5A);

	/* retain_chunks = 0: every whole free chunk goes back at once */
	hs_opt.retain_chunks = 0;
	hs_buddy_free(pages[3]);
	ck_assert_uint_eq(stats().zero_free, HS_CHUNK_SIZE);
	assert_bytes(hs_page_addr(pages[3]), HS_CHUNK_SIZE, 0);
	ck_assert_uint_eq(hs_buddy_alloc(8, 1, 1, &z), pages[3]);
	ck_assert_int_eq(z, 1);
	unit_heap_check();
}
END_TEST

static Suite *buddy_suite(void)
{
	Suite *s = suite_create("buddy");
	TCase *tc = unit_tcase("blocks", 1);
	tcase_add_test(tc, test_order_for);
	tcase_add_test(tc, test_split_fresh_chunk);
	tcase_add_test(tc, test_merge_buddy_only);
	tcase_add_test(tc, test_no_merge_across_chunks);
	tcase_add_test(tc, test_random_no_overlap);
	tcase_add_test(tc, test_slab_block_accounting);
	suite_add_tcase(s, tc);
	tc = unit_tcase("resize", 1);
	tcase_add_test(tc, test_resize);
	tcase_add_test(tc, test_resize_to_chunk);
	tcase_add_test(tc, test_resize_partly_free);
	suite_add_tcase(s, tc);
	tc = unit_tcase("limits", 1);
	tcase_add_test(tc, test_exhaustion_lowered);
	tcase_add_test(tc, test_exhaustion_full);
	tcase_add_test(tc, test_zeroed_trim);
	tcase_add_test(tc, test_zeroed_retain);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	(void)argc;
	return unit_run(buddy_suite(), argv);
}
