/* check_pagemap.c — pointer → block lookup through the page map and the
 * large table (block.h, pagemap.h): foreign pointers, exact starts of slab,
 * buddy and large blocks with their kind, usable and requested size, every
 * interior pointer of a slab and of buddy blocks, interior pointers of large
 * blocks, and pointers into free heap memory (free buddy blocks, memory
 * never committed, a slab's tail waste, a slab given back).
 */
#include "unit.h"

#include <heapscope/trace_format.h>

#include "block.h"
#include "tcache.h"

static int global_var;

static void assert_none(const void *p, enum hs_find want)
{
	struct hs_block b;
	memset(&b, 0xEE, sizeof b);
	enum hs_find f = hs_block_find(p, &b);
	ck_assert_msg(f == want, "hs_block_find(%p) is %d, expected %d", p, f, want);
	ck_assert_uint_eq(b.kind, HS_BLOCK_NONE);
}

/* p lies in the block starting at start: START or INTERIOR, with its fields. */
static void assert_in(const void *p, unsigned kind, const void *start, size_t usable, size_t size)
{
	struct hs_block b;
	enum hs_find want = p == start ? HS_FIND_START : HS_FIND_INTERIOR;
	memset(&b, 0, sizeof b);
	enum hs_find f = hs_block_find(p, &b);
	ck_assert_msg(f == want, "hs_block_find(start + %td) is %d, expected %d",
		      (const char *)p - (const char *)start, f, want);
	ck_assert_uint_eq(b.kind, kind);
	ck_assert_ptr_eq(b.start, start);
	ck_assert_uint_eq(b.usable, usable);
	ck_assert_uint_eq(b.size, size);
	ck_assert_ptr_nonnull(b.meta);
}

START_TEST(test_foreign)
{
	int local = 0;
	void *glibc = malloc(64);
	ck_assert_ptr_nonnull(glibc);
	assert_none(&local, HS_FIND_FOREIGN);
	assert_none(&global_var, HS_FIND_FOREIGN);
	assert_none(glibc, HS_FIND_FOREIGN);
	assert_none(NULL, HS_FIND_FOREIGN);
	assert_none((const void *)(uintptr_t)1, HS_FIND_FOREIGN);
	assert_none((const void *)(uintptr_t)test_foreign, HS_FIND_FOREIGN);
	/* just outside the heap on either side */
	assert_none((const void *)((uintptr_t)hs_heap.base - 1), HS_FIND_FOREIGN);
	assert_none((const void *)((uintptr_t)hs_heap.base + hs_heap.size), HS_FIND_FOREIGN);
	/* still foreign once the heap is in use */
	void *p = hs_alloc(100, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	ck_assert_ptr_nonnull(p);
	assert_none(glibc, HS_FIND_FOREIGN);
	assert_none(&local, HS_FIND_FOREIGN);
	free(glibc);
}
END_TEST

START_TEST(test_heap_limits_free)
{
	/* nothing committed yet: any heap address is free heap memory */
	assert_none(hs_heap.base, HS_FIND_FREE);
	assert_none(hs_heap.base + hs_heap.size - 1, HS_FIND_FREE);
	assert_none(hs_heap.base + (100 << 20), HS_FIND_FREE);
	void *p = hs_alloc(4096, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	ck_assert_ptr_eq(p, hs_heap.base);
	/* the rest of the first chunk is free, the next chunk uncommitted */
	assert_none(hs_heap.base + 4096, HS_FIND_FREE);
	assert_none(hs_heap.base + 200 * 4096 + 5, HS_FIND_FREE);
	assert_none(hs_heap.base + HS_CHUNK_SIZE, HS_FIND_FREE);
	assert_none(hs_heap.base + 2 * HS_CHUNK_SIZE + 123, HS_FIND_FREE);
}
END_TEST

START_TEST(test_slab_start_interior)
{
	char *p = hs_alloc(100, HS_MIN_ALIGN, HS_API_CALLOC, 0);
	ck_assert_ptr_nonnull(p);
	struct hs_block b;
	ck_assert_int_eq(hs_block_find(p, &b), HS_FIND_START);
	ck_assert_uint_eq(b.kind, HS_BLOCK_SLAB);
	ck_assert_uint_eq(b.cls, 6);
	ck_assert_ptr_eq(b.start, p);
	ck_assert_uint_eq(b.usable, 112);
	ck_assert_uint_eq(b.size, 100);
	struct hs_slab *s = hs_heap.map[hs_page_index(p)].slab;
	ck_assert_ptr_eq(b.meta, &s->meta[(p - s->base) / 112]);
	ck_assert_uint_eq(b.meta->state, HS_STATE_LIVE);
	ck_assert_uint_eq(b.meta->api, HS_API_CALLOC);
	ck_assert_uint_eq(b.meta->size, 100);
	for (size_t off = 1; off < 112; off++)
		assert_in(p + off, HS_BLOCK_SLAB, p, 112, 100);
	/* past the requested size but inside the slot is still the block */
	assert_in(p + 100, HS_BLOCK_SLAB, p, 112, 100);
	/* after free: still an object start, its meta no longer live */
	hs_free(p, HS_API_FREE);
	ck_assert_int_eq(hs_block_find(p, &b), HS_FIND_START);
	ck_assert_uint_eq(b.kind, HS_BLOCK_SLAB);
	ck_assert_uint_eq(b.meta->state, HS_STATE_FREE);
}
END_TEST

/* Every byte of one slab of every class, with exactly one live object. */
START_TEST(test_slab_every_byte)
{
	for (unsigned cls = 0; cls < HS_SLAB_CLASSES; cls++) {
		const struct hs_slab_class *c = &hs_slab_classes[cls];
		char *p = hs_alloc(c->size, HS_MIN_ALIGN, HS_API_MALLOC, 0);
		ck_assert_ptr_nonnull(p);
		struct hs_slab *s = hs_heap.map[hs_page_index(p)].slab;
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_eq(s->cls, cls);
		size_t live = (size_t)(p - s->base) / c->size;
		size_t bytes = HS_PAGE_SIZE << c->order;
		for (size_t off = 0; off < bytes; off++) {
			struct hs_block b;
			memset(&b, 0, sizeof b);
			enum hs_find f = hs_block_find(s->base + off, &b);
			size_t idx = off / c->size;
			if (idx >= c->nobj) {
				UNIT_EQ(f, HS_FIND_FREE, "class %u tail offset %zu", cls, off);
				UNIT_EQ(b.kind, HS_BLOCK_NONE, "class %u tail offset %zu", cls, off);
				continue;
			}
			UNIT_EQ(f, off % c->size ? HS_FIND_INTERIOR : HS_FIND_START, "class %u offset %zu",
				cls, off);
			UNIT_EQ(b.kind, HS_BLOCK_SLAB, "class %u offset %zu", cls, off);
			UNIT_EQ(b.cls, cls, "class %u offset %zu", cls, off);
			UNIT_EQ((uintptr_t)b.start, (uintptr_t)(s->base + idx * c->size),
				"class %u offset %zu", cls, off);
			UNIT_EQ(b.usable, c->size, "class %u offset %zu", cls, off);
			UNIT_EQ((uintptr_t)b.meta, (uintptr_t)&s->meta[idx], "class %u offset %zu", cls,
				off);
			UNIT_EQ(b.meta->state, idx == live ? HS_STATE_LIVE : HS_STATE_FREE,
				"class %u offset %zu", cls, off);
			UNIT_EQ(b.size, idx == live ? c->size : 0, "class %u offset %zu", cls, off);
		}
	}
}
END_TEST

/* Tail waste after the last object, spelled out for two classes. */
START_TEST(test_slab_tail)
{
	/* 48 B: 85 objects in a page, 16 bytes left at 4080 */
	char *p = hs_alloc(40, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	struct hs_slab *s = hs_heap.map[hs_page_index(p)].slab;
	ck_assert_uint_eq(s->cls, 2);
	assert_in(s->base + 4079, HS_BLOCK_SLAB, s->base + 84 * 48, 48, 0);
	for (size_t off = 4080; off < 4096; off++)
		assert_none(s->base + off, HS_FIND_FREE);
	/* 3584 B: 9 objects in 8 pages, 512 bytes left at 32256 */
	p = hs_alloc(3584, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	s = hs_heap.map[hs_page_index(p)].slab;
	ck_assert_uint_eq(s->cls, 26);
	assert_in(s->base + 32255, HS_BLOCK_SLAB, s->base + 8 * 3584, 3584,
		  p == s->base + 8 * 3584 ? 3584 : 0);
	assert_none(s->base + 32256, HS_FIND_FREE);
	assert_none(s->base + 32767, HS_FIND_FREE);
}
END_TEST

START_TEST(test_slab_given_back)
{
	char *p = hs_alloc(100, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	hs_free(p, HS_API_FREE);
	hs_tcache_drain(hs_tl_cache);
	ck_assert_uint_eq(hs_slab_trim(), HS_PAGE_SIZE);
	/* the slab's page is back in the buddy allocator */
	assert_none(p, HS_FIND_FREE);
	assert_none(p + 1, HS_FIND_FREE);
}
END_TEST

START_TEST(test_buddy_start_interior)
{
	char *p = hs_alloc(10000, HS_MIN_ALIGN, HS_API_NEW, 0);
	ck_assert_ptr_eq(p, hs_heap.base); /* fresh heap: page 0, order 2 */
	struct hs_block b;
	ck_assert_int_eq(hs_block_find(p, &b), HS_FIND_START);
	ck_assert_uint_eq(b.kind, HS_BLOCK_BUDDY);
	ck_assert_uint_eq(b.page, 0);
	ck_assert_ptr_eq(b.start, p);
	ck_assert_uint_eq(b.usable, 16384);
	ck_assert_uint_eq(b.size, 10000);
	ck_assert_ptr_eq(b.meta, &hs_heap.map[0].u.meta);
	ck_assert_uint_eq(b.meta->state, HS_STATE_LIVE);
	ck_assert_uint_eq(b.meta->api, HS_API_NEW);
	for (size_t off = 1; off < 16384; off += 511)
		assert_in(p + off, HS_BLOCK_BUDDY, p, 16384, 10000);
	assert_in(p + 4096, HS_BLOCK_BUDDY, p, 16384, 10000);
	assert_in(p + 12288, HS_BLOCK_BUDDY, p, 16384, 10000);
	assert_in(p + 16383, HS_BLOCK_BUDDY, p, 16384, 10000);
	/* the next pages are the free order-2 buddy */
	assert_none(p + 16384, HS_FIND_FREE);

	/* a whole chunk: every page of it leads back to its start */
	char *q = hs_alloc((size_t)1 << 20, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	ck_assert_ptr_eq(q, hs_heap.base + HS_CHUNK_SIZE);
	for (size_t k = 0; k < 256; k++) {
		assert_in(q + k * HS_PAGE_SIZE, HS_BLOCK_BUDDY, q, (size_t)1 << 20, (size_t)1 << 20);
		assert_in(q + k * HS_PAGE_SIZE + 4095, HS_BLOCK_BUDDY, q, (size_t)1 << 20,
			  (size_t)1 << 20);
	}
	/* a block between free and used neighbours of other orders */
	char *r = hs_alloc(4097, HS_MIN_ALIGN, HS_API_MALLOC, 0); /* order 1 at page 4 */
	ck_assert_ptr_eq(r, hs_heap.base + 4 * HS_PAGE_SIZE);
	assert_in(r + 8191, HS_BLOCK_BUDDY, r, 8192, 4097);
	assert_none(r + 8192, HS_FIND_FREE);
	assert_in(r - 1, HS_BLOCK_BUDDY, p, 16384, 10000);
}
END_TEST

START_TEST(test_buddy_freed)
{
	char *p = hs_alloc(10000, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	char *q = hs_alloc(10000, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	ck_assert_ptr_eq(q, p + 16384);
	hs_free(p, HS_API_FREE);
	assert_none(p, HS_FIND_FREE);
	assert_none(p + 5000, HS_FIND_FREE);
	assert_none(p + 16383, HS_FIND_FREE);
	assert_in(q, HS_BLOCK_BUDDY, q, 16384, 10000);
	hs_free(q, HS_API_FREE);
	assert_none(q, HS_FIND_FREE);
	assert_none(q + 1, HS_FIND_FREE);
}
END_TEST

START_TEST(test_aligned_starts)
{
	char *p = hs_alloc(100, 4096, HS_API_MEMALIGN, 0);
	ck_assert_uint_eq((uintptr_t)p % 4096, 0);
	assert_in(p, HS_BLOCK_BUDDY, p, 4096, 100);
	assert_in(p + 4095, HS_BLOCK_BUDDY, p, 4096, 100);
	char *q = hs_alloc(10, 2048, HS_API_MEMALIGN, 0);
	ck_assert_uint_eq((uintptr_t)q % 2048, 0);
	assert_in(q, HS_BLOCK_SLAB, q, 2048, 10);
	assert_in(q + 2047, HS_BLOCK_SLAB, q, 2048, 10);
}
END_TEST

START_TEST(test_large_start)
{
	size_t size = ((size_t)2 << 20) + 100;
	char *p = hs_alloc(size, HS_MIN_ALIGN, HS_API_NEW_ARRAY, 0);
	ck_assert_ptr_nonnull(p);
	ck_assert(!hs_heap_contains(p));
	struct hs_block b;
	ck_assert_int_eq(hs_block_find(p, &b), HS_FIND_START);
	ck_assert_uint_eq(b.kind, HS_BLOCK_LARGE);
	ck_assert_ptr_eq(b.start, p);
	ck_assert_uint_eq(b.usable, ((size_t)2 << 20) + 4096);
	ck_assert_uint_eq(b.size, size);
	ck_assert_uint_eq(b.meta->state, HS_STATE_LIVE);
	ck_assert_uint_eq(b.meta->api, HS_API_NEW_ARRAY);
	hs_free(p, HS_API_DELETE_ARRAY);
	assert_none(p, HS_FIND_FOREIGN);
}
END_TEST

/* block.h: INTERIOR is "p lies inside a block, not at its start", FOREIGN
 * "p is not heapscope's memory at all". A pointer inside a large block is
 * heapscope's memory, inside a block. */
START_TEST(test_large_interior)
{
	size_t size = ((size_t)2 << 20) + 100;
	char *p = hs_alloc(size, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	ck_assert_ptr_nonnull(p);
	size_t usable = ((size_t)2 << 20) + 4096;
	assert_in(p + 1, HS_BLOCK_LARGE, p, usable, size);
	assert_in(p + 4096, HS_BLOCK_LARGE, p, usable, size);
	assert_in(p + size - 1, HS_BLOCK_LARGE, p, usable, size);
	assert_in(p + usable - 1, HS_BLOCK_LARGE, p, usable, size);
}
END_TEST

static Suite *pagemap_suite(void)
{
	Suite *s = suite_create("pagemap");
	TCase *tc = unit_tcase("outside", 1);
	tcase_add_test(tc, test_foreign);
	tcase_add_test(tc, test_heap_limits_free);
	suite_add_tcase(s, tc);
	tc = unit_tcase("slab", 1);
	tcase_add_test(tc, test_slab_start_interior);
	tcase_add_test(tc, test_slab_every_byte);
	tcase_add_test(tc, test_slab_tail);
	tcase_add_test(tc, test_slab_given_back);
	suite_add_tcase(s, tc);
	tc = unit_tcase("buddy", 1);
	tcase_add_test(tc, test_buddy_start_interior);
	tcase_add_test(tc, test_buddy_freed);
	tcase_add_test(tc, test_aligned_starts);
	suite_add_tcase(s, tc);
	tc = unit_tcase("large", 1);
	tcase_add_test(tc, test_large_start);
	tcase_add_test(tc, test_large_interior);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	(void)argc;
	return unit_run(pagemap_suite(), argv);
}
