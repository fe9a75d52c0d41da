/* check_slab.c — the slab allocator (slab.h): the size-class table and
 * hs_slab_class_of rounding for every size, the reciprocal division for
 * every offset of every class's slab, object lookup (hs_slab_meta) for every
 * byte of a slab, take order and placement of objects, the empty → partial →
 * full → partial → empty list transitions with their nslabs[] counts, and
 * the return of empty slabs to the buddy allocator beyond the keep limit.
 */
#include "unit.h"

/* The slab interface hands out (object, meta) pairs; these tests think in
 * object pointers. The pairs must agree with the page-map lookup. */
static unsigned take_ptrs(unsigned cls, void **out, unsigned n)
{
	struct hs_obj *tmp = malloc((n ? n : 1) * sizeof *tmp);
	unsigned k = hs_slab_take(cls, tmp, n);
	for (unsigned i = 0; i < k; i++) {
		out[i] = tmp[i].p;
		ck_assert_ptr_eq(tmp[i].meta, hs_slab_meta(tmp[i].p, NULL, NULL));
	}
	free(tmp);
	return k;
}

static void give_ptrs(unsigned cls, void *const *objs, unsigned n)
{
	struct hs_obj *tmp = malloc((n ? n : 1) * sizeof *tmp);
	for (unsigned i = 0; i < n; i++) {
		tmp[i].p = objs[i];
		tmp[i].meta = hs_slab_meta(objs[i], NULL, NULL);
	}
	hs_slab_give(cls, tmp, n);
	free(tmp);
}


/* What slab.c's rule ("smallest slab with at least 8 objects and under 1/16
 * waste") gives for each class, worked out by hand. */
static const struct {
	uint32_t size;
	uint8_t order;
	uint16_t nobj;
} expect[HS_SLAB_CLASSES] = {
	{16, 0, 256},  {32, 0, 128},  {48, 0, 85},   {64, 0, 64},	 {80, 0, 51},
	{96, 0, 42},   {112, 0, 36},  {128, 0, 32},  {160, 0, 25},	 {192, 0, 21},
	{224, 0, 18},  {256, 0, 16},  {320, 0, 12},  {384, 0, 10},	 {448, 0, 9},
	{512, 0, 8},   {640, 1, 12},  {768, 1, 10},  {896, 1, 9},	 {1024, 1, 8},
	{1280, 2, 12}, {1536, 2, 10}, {1792, 2, 9},  {2048, 2, 8},	 {2560, 3, 12},
	{3072, 3, 10}, {3584, 3, 9},
};

static size_t slab_bytes(unsigned cls)
{
	return HS_PAGE_SIZE << hs_slab_classes[cls].order;
}

static struct hs_slab *slab_of(const void *p)
{
	return hs_heap.map[hs_page_index(p)].slab;
}

static uint64_t slab_blocks(unsigned order)
{
	struct hs_buddy_stats st;
	hs_buddy_stats(&st);
	return st.slab_blocks[order];
}

static void assert_lists(unsigned cls, uint32_t empty, uint32_t partial, uint32_t full)
{
	const struct hs_slab_class *c = &hs_slab_classes[cls];
	ck_assert_uint_eq(c->nslabs[HS_SLAB_EMPTY], empty);
	ck_assert_uint_eq(c->nslabs[HS_SLAB_PARTIAL], partial);
	ck_assert_uint_eq(c->nslabs[HS_SLAB_FULL], full);
	/* nslabs[l] is the length of list l */
	for (unsigned l = 0; l < 3; l++) {
		uint32_t n = 0;
		for (const struct hs_slab *s = c->lists[l]; s; s = s->next) {
			ck_assert_uint_eq(s->list, l);
			n++;
		}
		ck_assert_uint_eq(n, c->nslabs[l]);
	}
}

/* Take exactly n objects of cls, as many calls as it needs. */
static void take_n(unsigned cls, void **out, unsigned n)
{
	unsigned got = 0;
	while (got < n) {
		unsigned k = take_ptrs(cls, out + got, n - got);
		ck_assert_uint_gt(k, 0);
		got += k;
	}
}


START_TEST(test_class_table)
{
	for (unsigned i = 0; i < HS_SLAB_CLASSES; i++) {
		const struct hs_slab_class *c = &hs_slab_classes[i];
		ck_assert_uint_eq(c->size, expect[i].size);
		ck_assert_uint_eq(c->order, expect[i].order);
		ck_assert_uint_eq(c->nobj, expect[i].nobj);
		ck_assert_uint_eq(c->recip, ((1ull << 32) + c->size - 1) / c->size);
		ck_assert_uint_eq(c->size % HS_MIN_ALIGN, 0);
		if (i > 0)
			ck_assert_uint_gt(c->size, hs_slab_classes[i - 1].size);
		/* the rule the table follows, and that a smaller slab breaks it */
		size_t bytes = HS_PAGE_SIZE << c->order;
		ck_assert_uint_ge(c->nobj, 8);
		ck_assert_uint_le((bytes - (size_t)c->nobj * c->size) * 16, bytes);
		if (c->order > 0) {
			size_t smaller = bytes / 2, n = smaller / c->size;
			ck_assert(n < 8 || (smaller - n * c->size) * 16 > smaller);
		}
	}
	ck_assert_uint_eq(hs_slab_classes[HS_SLAB_CLASSES - 1].size, HS_SLAB_MAX_SIZE);
}
END_TEST

START_TEST(test_class_of_every_size)
{
	for (size_t size = 0; size <= HS_SLAB_MAX_SIZE; size++) {
		unsigned want = 0;
		while (expect[want].size < size)
			want++;
		UNIT_EQ(hs_slab_class_of(size), want, "size %zu", size);
	}
	/* the boundaries, spelled out */
	ck_assert_uint_eq(hs_slab_class_of(0), 0);
	ck_assert_uint_eq(hs_slab_class_of(1), 0);
	ck_assert_uint_eq(hs_slab_class_of(16), 0);
	ck_assert_uint_eq(hs_slab_class_of(17), 1);
	ck_assert_uint_eq(hs_slab_class_of(128), 7);
	ck_assert_uint_eq(hs_slab_class_of(129), 8);
	ck_assert_uint_eq(hs_slab_class_of(1024), 19);
	ck_assert_uint_eq(hs_slab_class_of(1025), 20);
	ck_assert_uint_eq(hs_slab_class_of(2048), 23);
	ck_assert_uint_eq(hs_slab_class_of(2049), 24);
	ck_assert_uint_eq(hs_slab_class_of(3584), 26);
}
END_TEST

START_TEST(test_recip_every_offset)
{
	for (unsigned i = 0; i < HS_SLAB_CLASSES; i++) {
		const struct hs_slab_class *c = &hs_slab_classes[i];
		size_t bytes = slab_bytes(i);
		for (uint64_t off = 0; off < bytes; off++) {
			uint64_t q = (off * c->recip) >> 32;
			UNIT_EQ(q, off / c->size, "class %u offset %ju", i, (uintmax_t)off);
			UNIT_EQ(off - q * c->size, off % c->size, "class %u offset %ju", i,
				(uintmax_t)off);
		}
	}
}
END_TEST

/* hs_slab_meta on every byte of one real slab of every class. */
START_TEST(test_meta_every_byte)
{
	for (unsigned i = 0; i < HS_SLAB_CLASSES; i++) {
		const struct hs_slab_class *c = &hs_slab_classes[i];
		void *obj;
		ck_assert_uint_eq(take_ptrs(i, &obj, 1), 1);
		struct hs_slab *s = slab_of(obj);
		ck_assert_ptr_eq(obj, s->base);
		ck_assert_uint_eq(s->cls, i);
		ck_assert_uint_eq(s->nobj, c->nobj);
		size_t bytes = slab_bytes(i);
		for (size_t off = 0; off < bytes; off++) {
			struct hs_slab *so = NULL;
			char *start = NULL;
			hs_meta_t *m = hs_slab_meta(s->base + off, &so, &start);
			size_t idx = off / c->size;
			if (idx < c->nobj) {
				UNIT_EQ((uintptr_t)m, (uintptr_t)&s->meta[idx], "class %u offset %zu", i, off);
				UNIT_EQ((uintptr_t)so, (uintptr_t)s, "class %u offset %zu", i, off);
				UNIT_EQ((uintptr_t)start, (uintptr_t)(s->base + idx * c->size),
					"class %u offset %zu", i, off);
			} else {
				/* tail waste: no object */
				UNIT_EQ((uintptr_t)m, 0, "class %u tail offset %zu", i, off);
			}
		}
		give_ptrs(i, &obj, 1);
	}
}
END_TEST

/* A fresh slab hands out its objects in address order, each inside the
 * slab, on its class's boundary, and every page of it is marked. */
START_TEST(test_objects_in_slab)
{
	static void *objs[256];
	for (unsigned i = 0; i < HS_SLAB_CLASSES; i++) {
		const struct hs_slab_class *c = &hs_slab_classes[i];
		ck_assert_uint_eq(take_ptrs(i, objs, c->nobj), c->nobj);
		struct hs_slab *s = slab_of(objs[0]);
		ck_assert_uint_eq((uintptr_t)s->base % HS_PAGE_SIZE, 0);
		ck_assert(hs_heap_contains(s->base));
		ck_assert_ptr_eq(hs_page_addr(s->page), s->base);
		for (unsigned k = 0; k < c->nobj; k++) {
			ck_assert_ptr_eq(objs[k], s->base + (size_t)k * c->size);
			ck_assert_uint_eq((uintptr_t)objs[k] % HS_MIN_ALIGN, 0);
			ck_assert_ptr_eq(slab_of(objs[k]), s);
		}
		ck_assert_uint_le((size_t)c->nobj * c->size, slab_bytes(i));
		for (unsigned k = 0; k < (1u << c->order); k++) {
			const hs_page_t *pg = &hs_heap.map[s->page + k];
			ck_assert_uint_eq(pg->kind, HS_PAGE_SLAB);
			ck_assert_ptr_eq(pg->slab, s);
			ck_assert_uint_eq(pg->order, c->order);
		}
		ck_assert_uint_eq(s->nfree, 0);
		ck_assert_uint_eq(s->list, HS_SLAB_FULL);
		/* the next object comes from a second slab */
		void *more;
		ck_assert_uint_eq(take_ptrs(i, &more, 1), 1);
		ck_assert_ptr_ne(slab_of(more), s);
		ck_assert_ptr_eq(more, slab_of(more)->base);
		give_ptrs(i, &more, 1);
		give_ptrs(i, objs, c->nobj);
	}
	unit_heap_check();
}
END_TEST

/* Objects taken from many slabs of one class never repeat while out. */
START_TEST(test_objects_distinct)
{
	enum { N = 2000 };
	static void *objs[N];
	unsigned cls = 5; /* 96 B */
	take_n(cls, objs, N);
	for (unsigned k = 0; k < N; k++) {
		struct hs_slab *s = slab_of(objs[k]);
		ck_assert_ptr_nonnull(s);
		size_t off = (size_t)((char *)objs[k] - s->base);
		ck_assert_uint_eq(off % 96, 0);
		ck_assert_uint_lt(off / 96, s->nobj);
	}
	/* sort by address (insertion sort is fine at this size) and compare
	 * neighbours */
	for (unsigned k = 1; k < N; k++) {
		void *v = objs[k];
		unsigned j = k;
		for (; j > 0 && (uintptr_t)objs[j - 1] > (uintptr_t)v; j--)
			objs[j] = objs[j - 1];
		objs[j] = v;
	}
	for (unsigned k = 1; k < N; k++)
		ck_assert_uint_ge((uintptr_t)objs[k] - (uintptr_t)objs[k - 1], 96);
	give_ptrs(cls, objs, N);
	assert_lists(cls, 1, 0, 0);
}
END_TEST

START_TEST(test_list_transitions)
{
	static void *objs[64];
	static const unsigned classes[] = {9, 20}; /* 192 B in 1 page, 1280 B in 4 */
	for (unsigned t = 0; t < 2; t++) {
		unsigned cls = classes[t];
		const struct hs_slab_class *c = &hs_slab_classes[cls];
		unsigned n = c->nobj;
		assert_lists(cls, 0, 0, 0);
		ck_assert_uint_eq(slab_blocks(c->order), 0);

		/* empty (fresh) → partial */
		ck_assert_uint_eq(take_ptrs(cls, objs, 1), 1);
		struct hs_slab *s = slab_of(objs[0]);
		assert_lists(cls, 0, 1, 0);
		ck_assert_uint_eq(s->list, HS_SLAB_PARTIAL);
		ck_assert_uint_eq(s->nfree, n - 1);
		ck_assert_uint_eq(slab_blocks(c->order), 1);

		/* partial → full */
		ck_assert_uint_eq(take_ptrs(cls, objs + 1, n - 1), n - 1);
		assert_lists(cls, 0, 0, 1);
		ck_assert_uint_eq(s->list, HS_SLAB_FULL);
		ck_assert_uint_eq(s->nfree, 0);

		/* full → partial */
		give_ptrs(cls, objs, 1);
		assert_lists(cls, 0, 1, 0);
		ck_assert_uint_eq(s->nfree, 1);

		/* partial → empty: kept (the keep limit is one empty slab) */
		give_ptrs(cls, objs + 1, n - 1);
		assert_lists(cls, 1, 0, 0);
		ck_assert_uint_eq(s->list, HS_SLAB_EMPTY);
		ck_assert_uint_eq(s->nfree, n);
		ck_assert_ptr_eq(c->lists[HS_SLAB_EMPTY], s);
		ck_assert_uint_eq(slab_blocks(c->order), 1);

		/* empty → partial again: the kept slab is reused, no new block */
		ck_assert_uint_eq(take_ptrs(cls, objs, 1), 1);
		ck_assert_ptr_eq(slab_of(objs[0]), s);
		assert_lists(cls, 0, 1, 0);
		ck_assert_uint_eq(slab_blocks(c->order), 1);
		give_ptrs(cls, objs, 1);
		assert_lists(cls, 1, 0, 0);
	}
	unit_heap_check();
}
END_TEST

/* Partial slabs are served before empty ones; objects come back LIFO. */
START_TEST(test_partial_first)
{
	static void *a[64], *b[64];
	unsigned cls = 11; /* 256 B, 16 per slab */
	unsigned n = hs_slab_classes[cls].nobj;
	ck_assert_uint_eq(take_ptrs(cls, a, n), n);
	ck_assert_uint_eq(take_ptrs(cls, b, n), n);
	struct hs_slab *sa = slab_of(a[0]), *sb = slab_of(b[0]);
	ck_assert_ptr_ne(sa, sb);
	give_ptrs(cls, b, n); /* sb empty, kept */
	give_ptrs(cls, &a[5], 1); /* sa partial */
	assert_lists(cls, 1, 1, 0);
	void *p;
	ck_assert_uint_eq(take_ptrs(cls, &p, 1), 1);
	ck_assert_ptr_eq(p, a[5]);
	assert_lists(cls, 1, 0, 1);
	/* sb's free stack holds 0..n-1 in the order given back: top is n-1 */
	ck_assert_uint_eq(take_ptrs(cls, &p, 1), 1);
	ck_assert_ptr_eq(p, b[n - 1]);
	assert_lists(cls, 0, 1, 1);
	give_ptrs(cls, &p, 1);
	give_ptrs(cls, a, n);
	assert_lists(cls, 1, 0, 0);
}
END_TEST

/* hs_slab_take returns at most one new slab's worth per call. */
START_TEST(test_take_count)
{
	static void *objs[600];
	unsigned cls = 0; /* 256 per slab */
	ck_assert_uint_eq(take_ptrs(cls, objs, 600), 256);
	ck_assert_uint_eq(take_ptrs(cls, objs + 256, 0), 0);
	give_ptrs(cls, &objs[255], 1); /* one free in a partial slab */
	ck_assert_uint_eq(take_ptrs(cls, objs + 255, 10), 1);
	ck_assert_uint_eq(take_ptrs(cls, objs + 256, 344), 256);
	assert_lists(cls, 0, 0, 2);
	give_ptrs(cls, objs, 512);
	assert_lists(cls, 1, 0, 0);
}
END_TEST

/* Empty slabs beyond the first go back to the buddy allocator at once. */
START_TEST(test_empty_slabs_returned)
{
	static void *objs[3][256];
	unsigned cls = 0;
	unsigned n = hs_slab_classes[cls].nobj;
	for (unsigned k = 0; k < 3; k++)
		ck_assert_uint_eq(take_ptrs(cls, objs[k], n), n);
	struct hs_slab *s0 = slab_of(objs[0][0]);
	uint32_t page1 = slab_of(objs[1][0])->page, page2 = slab_of(objs[2][0])->page;
	assert_lists(cls, 0, 0, 3);
	ck_assert_uint_eq(slab_blocks(0), 3);

	give_ptrs(cls, objs[0], n);
	assert_lists(cls, 1, 0, 2);
	ck_assert_uint_eq(slab_blocks(0), 3);

	give_ptrs(cls, objs[1], n);
	assert_lists(cls, 1, 0, 1);
	ck_assert_uint_eq(slab_blocks(0), 2);
	ck_assert_uint_ne(hs_heap.map[page1].kind, HS_PAGE_SLAB);

	give_ptrs(cls, objs[2], n);
	assert_lists(cls, 1, 0, 0);
	ck_assert_uint_eq(slab_blocks(0), 1);
	ck_assert_uint_ne(hs_heap.map[page2].kind, HS_PAGE_SLAB);
	ck_assert_ptr_eq(hs_slab_classes[cls].lists[HS_SLAB_EMPTY], s0);
	unit_heap_check();

	/* the kept slab serves the next request */
	ck_assert_uint_eq(take_ptrs(cls, objs[0], 1), 1);
	ck_assert_ptr_eq(slab_of(objs[0][0]), s0);
	ck_assert_uint_eq(slab_blocks(0), 1);
	give_ptrs(cls, objs[0], 1);

	/* trimming releases the kept one too, and the chunk merges whole */
	ck_assert_uint_eq(hs_slab_trim(), HS_PAGE_SIZE);
	assert_lists(cls, 0, 0, 0);
	ck_assert_uint_eq(slab_blocks(0), 0);
	struct hs_buddy_stats st;
	hs_buddy_stats(&st);
	for (unsigned o = 0; o < HS_BUDDY_MAX_ORDER; o++)
		ck_assert_uint_eq(st.free_blocks[o], 0);
	ck_assert_uint_eq(st.free_blocks[HS_BUDDY_MAX_ORDER], 1);
	unit_heap_check();
}
END_TEST

/* The same for a class whose slabs are several pages. */
START_TEST(test_empty_multipage_returned)
{
	static void *objs[2][16];
	unsigned cls = 26; /* 3584 B, 9 per 8-page slab */
	unsigned n = hs_slab_classes[cls].nobj;
	ck_assert_uint_eq(take_ptrs(cls, objs[0], n), n);
	ck_assert_uint_eq(take_ptrs(cls, objs[1], n), n);
	ck_assert_uint_eq(slab_blocks(3), 2);
	uint32_t page = slab_of(objs[1][0])->page;
	give_ptrs(cls, objs[0], n);
	give_ptrs(cls, objs[1], n);
	assert_lists(cls, 1, 0, 0);
	ck_assert_uint_eq(slab_blocks(3), 1);
	for (unsigned k = 0; k < 8; k++)
		ck_assert_uint_ne(hs_heap.map[page + k].kind, HS_PAGE_SLAB);
	unit_heap_check();
	ck_assert_uint_eq(hs_slab_trim(), 8 * HS_PAGE_SIZE);
	ck_assert_uint_eq(slab_blocks(3), 0);
	unit_heap_check();
}
END_TEST

static Suite *slab_suite(void)
{
	Suite *s = suite_create("slab");
	TCase *tc = unit_tcase("classes", 1);
	tcase_add_test(tc, test_class_table);
	tcase_add_test(tc, test_class_of_every_size);
	tcase_add_test(tc, test_recip_every_offset);
	tcase_add_test(tc, test_meta_every_byte);
	suite_add_tcase(s, tc);
	tc = unit_tcase("slabs", 1);
	tcase_add_test(tc, test_objects_in_slab);
	tcase_add_test(tc, test_objects_distinct);
	tcase_add_test(tc, test_list_transitions);
	tcase_add_test(tc, test_partial_first);
	tcase_add_test(tc, test_take_count);
	tcase_add_test(tc, test_empty_slabs_returned);
	tcase_add_test(tc, test_empty_multipage_returned);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	(void)argc;
	return unit_run(slab_suite(), argv);
}
