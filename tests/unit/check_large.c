/* check_large.c — blocks above the largest buddy order, one mapping each
 * (large.h): allocation (zeroed, page-rounded, counted), alignment up to
 * 16 MiB, lookup by exact start (hs_large_find) and by any address inside
 * (hs_large_find_containing), free (unmapped at once), realloc by mremap
 * (moved with contents preserved, shrunk and grown in place), the hash table
 * through growth, tombstones and reuse, and failures.
 */
#include "unit.h"

#include <sys/mman.h>

#include <heapscope/trace_format.h>

#include "large.h"

#define MiB ((size_t)1 << 20)

/* Whether the page holding p is mapped at all. */
static int is_mapped(const void *p)
{
	unsigned char v;
	void *page = (void *)((uintptr_t)p & ~(uintptr_t)(HS_PAGE_SIZE - 1));
	if (mincore(page, HS_PAGE_SIZE, &v) == 0)
		return 1;
	ck_assert_int_eq(errno, ENOMEM);
	return 0;
}

static struct hs_large_stats lstats(void)
{
	struct hs_large_stats st;
	hs_large_stats(&st);
	return st;
}

static void fill(char *p, size_t n, unsigned seed)
{
	for (size_t k = 0; k < n; k += 8) {
		uint64_t v = (k + seed) * 0x9E3779B97F4A7C15ull;
		memcpy(p + k, &v, n - k < 8 ? n - k : 8);
	}
}

static void assert_filled(const char *p, size_t n, unsigned seed)
{
	for (size_t k = 0; k < n; k += 8) {
		uint64_t v = (k + seed) * 0x9E3779B97F4A7C15ull;
		if (memcmp(p + k, &v, n - k < 8 ? n - k : 8) != 0)
			ck_abort_msg("contents differ at byte %zu of %zu", k, n);
	}
}

START_TEST(test_alloc)
{
	size_t size = 3 * MiB + 5;
	struct hs_large *e = hs_large_alloc(size, HS_MIN_ALIGN, HS_API_CALLOC);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq((uintptr_t)e->user % HS_PAGE_SIZE, 0);
	ck_assert_ptr_eq(e->map, e->user);
	ck_assert_uint_eq(e->mapped, 3 * MiB + HS_PAGE_SIZE);
	ck_assert_uint_eq(e->size, size);
	ck_assert_uint_eq(e->meta.state, HS_STATE_LIVE);
	ck_assert_uint_eq(e->meta.api, HS_API_CALLOC);
	ck_assert_uint_eq(e->meta.size, size);
	ck_assert(!hs_heap_contains(e->user));
	/* zeroed by the kernel, writable to the last mapped byte */
	for (size_t k = 0; k < e->mapped; k++)
		UNIT_EQ(e->user[k], 0, "byte %zu", k);
	fill(e->user, e->mapped, 1);
	assert_filled(e->user, e->mapped, 1);
	struct hs_large_stats st = lstats();
	ck_assert_uint_eq(st.blocks, 1);
	ck_assert_uint_eq(st.requested, size);
	ck_assert_uint_eq(st.mapped, 3 * MiB + HS_PAGE_SIZE);
	hs_large_free(e->user);
}
END_TEST

START_TEST(test_alignment)
{
	static const size_t aligns[] = {16, 4096, 65536, MiB, 2 * MiB, 4 * MiB, 16 * MiB};
	enum { N = sizeof aligns / sizeof aligns[0] };
	char *users[N];
	for (unsigned k = 0; k < N; k++) {
		size_t a = aligns[k];
		struct hs_large *e = hs_large_alloc(MiB + 1, a, HS_API_ALIGNED_ALLOC);
		ck_assert_ptr_nonnull(e);
		ck_assert_uint_eq((uintptr_t)e->user % (a < HS_PAGE_SIZE ? HS_PAGE_SIZE : a), 0);
		/* trimmed to the block: the mapping starts at the user pointer */
		ck_assert_ptr_eq(e->map, e->user);
		ck_assert_uint_eq(e->mapped, MiB + HS_PAGE_SIZE);
		ck_assert_ptr_eq(hs_large_find(e->user), e);
		e->user[0] = 1;
		e->user[e->mapped - 1] = 2;
		users[k] = e->user;
	}
	struct hs_large_stats st = lstats();
	ck_assert_uint_eq(st.blocks, N);
	ck_assert_uint_eq(st.mapped, N * (MiB + HS_PAGE_SIZE));
	for (unsigned k = 0; k < N; k++)
		hs_large_free(users[k]);
	st = lstats();
	ck_assert_uint_eq(st.blocks, 0);
	ck_assert_uint_eq(st.mapped, 0);
	ck_assert_uint_eq(st.requested, 0);
}
END_TEST

START_TEST(test_find)
{
	int local;
	struct hs_large *e = hs_large_alloc(2 * MiB, HS_MIN_ALIGN, HS_API_MALLOC);
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_eq(hs_large_find(e->user), e);
	ck_assert_ptr_null(hs_large_find(e->user + 1));
	ck_assert_ptr_null(hs_large_find(e->user + HS_PAGE_SIZE));
	ck_assert_ptr_null(hs_large_find(e->user - HS_PAGE_SIZE));
	ck_assert_ptr_null(hs_large_find(&local));
	ck_assert_ptr_null(hs_large_find(NULL));

	struct hs_large out;
	memset(&out, 0, sizeof out);
	ck_assert_int_eq(hs_large_find_containing(e->user, &out), 1);
	ck_assert_ptr_eq(out.user, e->user);
	ck_assert_uint_eq(out.size, 2 * MiB);
	ck_assert_uint_eq(out.mapped, 2 * MiB);
	memset(&out, 0, sizeof out);
	ck_assert_int_eq(hs_large_find_containing(e->user + 2 * MiB - 1, &out), 1);
	ck_assert_ptr_eq(out.user, e->user);
	ck_assert_int_eq(hs_large_find_containing(e->user + 12345, &out), 1);
	ck_assert_ptr_eq(out.user, e->user);
	ck_assert_int_eq(hs_large_find_containing(e->user + 2 * MiB, &out), 0);
	ck_assert_int_eq(hs_large_find_containing(e->user - 1, &out), 0);
	ck_assert_int_eq(hs_large_find_containing(&local, &out), 0);

	/* with a second block, each address finds its own */
	struct hs_large *f = hs_large_alloc(5 * MiB, HS_MIN_ALIGN, HS_API_MALLOC);
	ck_assert_ptr_eq(hs_large_find(f->user), f);
	ck_assert_ptr_eq(hs_large_find(e->user), e);
	ck_assert_int_eq(hs_large_find_containing(f->user + 3 * MiB, &out), 1);
	ck_assert_ptr_eq(out.user, f->user);
	ck_assert_uint_eq(out.size, 5 * MiB);
	ck_assert_int_eq(hs_large_find_containing(e->user + MiB, &out), 1);
	ck_assert_ptr_eq(out.user, e->user);
	char *fu = f->user;
	hs_large_free(fu);
	ck_assert_ptr_null(hs_large_find(fu));
	ck_assert_int_eq(hs_large_find_containing(fu + 3 * MiB, &out), 0);
	ck_assert_ptr_eq(hs_large_find(e->user), e);
	hs_large_free(e->user);
}
END_TEST

START_TEST(test_free)
{
	int local;
	struct hs_large *e = hs_large_alloc(2 * MiB + 1, HS_MIN_ALIGN, HS_API_MALLOC);
	char *u = e->user;
	u[0] = 1;
	ck_assert(is_mapped(u));
	hs_large_free(u);
	ck_assert_ptr_null(hs_large_find(u));
	ck_assert(!is_mapped(u)); /* returned to the kernel at once */
	ck_assert(!is_mapped(u + 2 * MiB));
	struct hs_large_stats st = lstats();
	ck_assert_uint_eq(st.blocks, 0);
	ck_assert_uint_eq(st.requested, 0);
	ck_assert_uint_eq(st.mapped, 0);
	/* unknown pointers are ignored */
	struct hs_large *f = hs_large_alloc(2 * MiB, HS_MIN_ALIGN, HS_API_MALLOC);
	hs_large_free(u == f->user ? u + HS_PAGE_SIZE : u);
	hs_large_free(&local);
	hs_large_free(f->user + 1);
	ck_assert_ptr_eq(hs_large_find(f->user), f);
	st = lstats();
	ck_assert_uint_eq(st.blocks, 1);
	ck_assert_uint_eq(st.mapped, 2 * MiB);
	hs_large_free(f->user);
}
END_TEST

/* Growth where the next pages are taken: the mapping moves, contents come
 * along, and the table follows the new address. */
START_TEST(test_realloc_move)
{
	struct hs_large *e = hs_large_alloc(2 * MiB, HS_MIN_ALIGN, HS_API_MALLOC);
	char *old = e->user;
	fill(old, 2 * MiB, 7);
	/* occupy the page right after the block */
	void *guard = mmap(old + 2 * MiB, HS_PAGE_SIZE, PROT_NONE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ck_assert(guard == old + 2 * MiB || (guard == MAP_FAILED && errno == EEXIST));
	char *q = hs_large_realloc(old, 6 * MiB);
	ck_assert_ptr_nonnull(q);
	ck_assert_ptr_ne(q, old);
	ck_assert_uint_eq((uintptr_t)q % HS_PAGE_SIZE, 0);
	assert_filled(q, 2 * MiB, 7);
	ck_assert_ptr_eq(hs_large_find(q), e);
	ck_assert_ptr_null(hs_large_find(old));
	ck_assert_ptr_eq(e->user, q);
	ck_assert_ptr_eq(e->map, q);
	ck_assert_uint_eq(e->mapped, 6 * MiB);
	ck_assert_uint_eq(e->size, 6 * MiB);
	ck_assert_uint_eq(e->meta.size, 6 * MiB);
	q[6 * MiB - 1] = 3;
	struct hs_large_stats st = lstats();
	ck_assert_uint_eq(st.blocks, 1);
	ck_assert_uint_eq(st.requested, 6 * MiB);
	ck_assert_uint_eq(st.mapped, 6 * MiB);
	if (guard != MAP_FAILED)
		munmap(guard, HS_PAGE_SIZE);
	hs_large_free(q);
}
END_TEST

/* Shrinking never moves; growing back into the pages just released stays in
 * place too; the same page count only changes the size. */
START_TEST(test_realloc_in_place)
{
	struct hs_large *e = hs_large_alloc(6 * MiB, HS_MIN_ALIGN, HS_API_MALLOC);
	char *u = e->user;
	fill(u, 6 * MiB, 3);
	/* the three calls back to back: nothing else may map the range that
	 * the shrink releases before the grow wants it back */
	char *shrunk = hs_large_realloc(u, 3 * MiB + 10);
	int tail_mapped = is_mapped(u + 4 * MiB);
	size_t mapped_after_shrink = e->mapped;
	struct hs_large_stats st_shrunk = lstats();
	char *same = hs_large_realloc(u, 3 * MiB + 20);
	size_t mapped_after_same = e->mapped, size_after_same = e->size;
	char *grown = hs_large_realloc(u, 5 * MiB);

	ck_assert_ptr_eq(shrunk, u);
	ck_assert_int_eq(tail_mapped, 0);
	ck_assert_uint_eq(mapped_after_shrink, 3 * MiB + HS_PAGE_SIZE);
	ck_assert_uint_eq(st_shrunk.requested, 3 * MiB + 10);
	ck_assert_uint_eq(st_shrunk.mapped, 3 * MiB + HS_PAGE_SIZE);
	ck_assert_ptr_eq(same, u); /* same page count: only the size changes */
	ck_assert_uint_eq(mapped_after_same, 3 * MiB + HS_PAGE_SIZE);
	ck_assert_uint_eq(size_after_same, 3 * MiB + 20);
	ck_assert_ptr_eq(grown, u); /* back into the range just released */
	ck_assert_uint_eq(e->mapped, 5 * MiB);
	ck_assert_uint_eq(e->size, 5 * MiB);
	assert_filled(u, 3 * MiB + 10, 3);
	u[5 * MiB - 1] = 1;
	ck_assert_ptr_eq(hs_large_find(u), e);
	struct hs_large_stats st = lstats();
	ck_assert_uint_eq(st.blocks, 1);
	ck_assert_uint_eq(st.requested, 5 * MiB);
	ck_assert_uint_eq(st.mapped, 5 * MiB);
	hs_large_free(u);
}
END_TEST

START_TEST(test_realloc_unknown)
{
	int local;
	struct hs_large *e = hs_large_alloc(2 * MiB, HS_MIN_ALIGN, HS_API_MALLOC);
	ck_assert_ptr_null(hs_large_realloc(&local, 3 * MiB));
	ck_assert_ptr_null(hs_large_realloc(e->user + HS_PAGE_SIZE, 3 * MiB));
	ck_assert_ptr_null(hs_large_realloc(e->user, SIZE_MAX - 5)); /* page rounding overflows */
	ck_assert_uint_eq(e->size, 2 * MiB);
	ck_assert_uint_eq(lstats().mapped, 2 * MiB);
	hs_large_free(e->user);
}
END_TEST

/* The hash table through two growths, tombstones and their reuse. */
START_TEST(test_many)
{
	enum { N = 300 };
	static struct hs_large *blocks[N];
	static char *users[N];
	for (unsigned k = 0; k < N; k++) {
		blocks[k] = hs_large_alloc(MiB + 1 + k, HS_MIN_ALIGN, HS_API_MALLOC);
		ck_assert_ptr_nonnull(blocks[k]);
		users[k] = blocks[k]->user;
	}
	for (unsigned k = 0; k < N; k++) {
		ck_assert_ptr_eq(hs_large_find(users[k]), blocks[k]);
		ck_assert_uint_eq(blocks[k]->size, MiB + 1 + k);
	}
	struct hs_large_stats st = lstats();
	ck_assert_uint_eq(st.blocks, N);
	ck_assert_uint_eq(st.mapped, N * (MiB + HS_PAGE_SIZE));
	/* every other one freed: the rest are still found, the freed are not */
	for (unsigned k = 0; k < N; k += 2)
		hs_large_free(users[k]);
	for (unsigned k = 0; k < N; k++) {
		if (k % 2)
			ck_assert_ptr_eq(hs_large_find(users[k]), blocks[k]);
		else
			ck_assert_ptr_null(hs_large_find(users[k]));
	}
	ck_assert_uint_eq(lstats().blocks, N / 2);
	/* refill, several rounds of free and allocate over the tombstones */
	for (unsigned round = 0; round < 4; round++) {
		for (unsigned k = round % 2; k < N; k += 2) {
			if (round > 0)
				hs_large_free(users[k]);
			blocks[k] = hs_large_alloc(MiB + 7 * k + round, HS_MIN_ALIGN, HS_API_MALLOC);
			ck_assert_ptr_nonnull(blocks[k]);
			users[k] = blocks[k]->user;
		}
		for (unsigned k = 0; k < N; k++)
			ck_assert_ptr_eq(hs_large_find(users[k]), blocks[k]);
		ck_assert_uint_eq(lstats().blocks, N);
	}
	struct hs_large out;
	for (unsigned k = 0; k < N; k += 37) {
		ck_assert_int_eq(hs_large_find_containing(users[k] + MiB / 2, &out), 1);
		ck_assert_ptr_eq(out.user, users[k]);
	}
	for (unsigned k = 0; k < N; k++)
		hs_large_free(users[k]);
	st = lstats();
	ck_assert_uint_eq(st.blocks, 0);
	ck_assert_uint_eq(st.requested, 0);
	ck_assert_uint_eq(st.mapped, 0);
	for (unsigned k = 0; k < N; k++)
		ck_assert_ptr_null(hs_large_find(users[k]));
}
END_TEST

START_TEST(test_failures)
{
	errno = 0;
	ck_assert_ptr_null(hs_large_alloc(SIZE_MAX - 10, HS_MIN_ALIGN, HS_API_MALLOC));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(hs_large_alloc((size_t)1 << 62, HS_MIN_ALIGN, HS_API_MALLOC));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(hs_large_alloc(MiB * 2, (size_t)1 << 63, HS_API_MALLOC));
	ck_assert_int_eq(errno, ENOMEM);
	struct hs_large_stats st = lstats();
	ck_assert_uint_eq(st.blocks, 0);
	ck_assert_uint_eq(st.mapped, 0);
}
END_TEST

/* Two live blocks never share an address, whatever their size. With size
 * 0 and an alignment above a page, hs_large_alloc maps len + align bytes,
 * then trims everything before and everything after user + len: with len 0
 * that is the whole mapping. */
START_TEST(test_zero_size_aligned)
{
	struct hs_large *a = hs_large_alloc(0, 2 * MiB, HS_API_ALIGNED_ALLOC);
	struct hs_large *b = hs_large_alloc(0, 2 * MiB, HS_API_ALIGNED_ALLOC);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_ne(a->user, b->user);
	ck_assert_uint_gt(a->mapped, 0);
	ck_assert(is_mapped(a->user));
}
END_TEST

static Suite *large_suite(void)
{
	Suite *s = suite_create("large");
	TCase *tc = unit_tcase("blocks", 1);
	tcase_add_test(tc, test_alloc);
	tcase_add_test(tc, test_alignment);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_free);
	tcase_add_test(tc, test_failures);
	tcase_add_test(tc, test_zero_size_aligned);
	suite_add_tcase(s, tc);
	tc = unit_tcase("realloc", 1);
	tcase_add_test(tc, test_realloc_move);
	tcase_add_test(tc, test_realloc_in_place);
	tcase_add_test(tc, test_realloc_unknown);
	suite_add_tcase(s, tc);
	tc = unit_tcase("table", 1);
	tcase_add_test(tc, test_many);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	(void)argc;
	return unit_run(large_suite(), argv);
}
