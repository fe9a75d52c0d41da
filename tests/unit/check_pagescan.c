/* check_pagescan.c — runs of pages that hold something (pagescan.h): a
 * mapping with written pages, a page only read (the shared zero page) and
 * untouched ones, answered by PAGEMAP_SCAN where the kernel has it and by
 * the 8-bytes-a-page fallback, which stops at its bound and says where.
 */
#include "unit.h"

#include <sys/mman.h>

#include "pagescan.h"

#define NPAGES 64

struct runs {
	unsigned n;
	uintptr_t a[8], b[8];
};

static void add_run(uintptr_t a, uintptr_t b, void *ctx)
{
	struct runs *r = ctx;
	ck_assert_uint_lt(r->n, 8);
	r->a[r->n] = a;
	r->b[r->n] = b;
	r->n++;
}

/* pages 0, 5, 11 and 12 written, page 10 only read */
static char *touched(void)
{
	char *p = mmap(NULL, NPAGES * HS_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	p[0] = 1;
	p[5 * HS_PAGE_SIZE] = 1;
	(void)((volatile char *)p)[10 * HS_PAGE_SIZE];
	p[11 * HS_PAGE_SIZE] = 1;
	p[12 * HS_PAGE_SIZE + 100] = 1;
	return p;
}

/* the runs, as page numbers from p: "0-1 5-6 10-13" */
static void expect(const struct runs *r, const char *p, const char *want)
{
	char got[128] = "";
	size_t k = 0;
	for (unsigned i = 0; i < r->n; i++)
		k += (size_t)snprintf(got + k, sizeof got - k, "%s%ld-%ld", i ? " " : "",
				      (long)((r->a[i] - (uintptr_t)p) / HS_PAGE_SIZE),
				      (long)((r->b[i] - (uintptr_t)p) / HS_PAGE_SIZE));
	ck_assert_str_eq(got, want);
}

START_TEST(test_runs)
{
	char *p = touched();
	uintptr_t lo = (uintptr_t)p, hi = lo + NPAGES * HS_PAGE_SIZE;
	struct hs_pagescan ps;
	ck_assert_int_eq(hs_pagescan_open(&ps, 0), 0);
	struct runs r = {0};
	/* unaligned ends: the pages around them are asked about */
	ck_assert_uint_eq(hs_pagescan_each(&ps, lo + 100, hi - 100, HS_PAGES_WITH_DATA, add_run, &r), hi);
	expect(&r, p, "0-1 5-6 10-13");
	memset(&r, 0, sizeof r);
	ck_assert_uint_eq(hs_pagescan_each(&ps, lo, hi, HS_PAGES_RESIDENT, add_run, &r), hi);
	/* the zero page is not resident where PAGEMAP_SCAN tells it apart */
	expect(&r, p, ps.scan ? "0-1 5-6 11-13" : "0-1 5-6 10-13");
	hs_pagescan_close(&ps);
	munmap(p, NPAGES * HS_PAGE_SIZE);
}
END_TEST

START_TEST(test_fallback)
{
	char *p = touched();
	uintptr_t lo = (uintptr_t)p, hi = lo + NPAGES * HS_PAGE_SIZE;
	struct hs_pagescan ps;
	ck_assert_int_eq(hs_pagescan_open(&ps, 0), 0);
	ps.scan = 0;
	struct runs r = {0};
	ck_assert_uint_eq(hs_pagescan_each(&ps, lo, hi, HS_PAGES_WITH_DATA, add_run, &r), hi);
	expect(&r, p, "0-1 5-6 10-13");
	ck_assert_uint_eq(ps.read, NPAGES);
	hs_pagescan_close(&ps);
	/* bounded: nothing read past the bound, and the answer says so */
	ck_assert_int_eq(hs_pagescan_open(&ps, NPAGES - 1), 0);
	ps.scan = 0;
	memset(&r, 0, sizeof r);
	ck_assert_uint_eq(hs_pagescan_each(&ps, lo, hi, HS_PAGES_WITH_DATA, add_run, &r), lo);
	ck_assert_uint_eq(r.n, 0);
	hs_pagescan_close(&ps);
	/* no pagemap: nothing answered */
	ps.fd = -1;
	ck_assert_uint_eq(hs_pagescan_each(&ps, lo, hi, HS_PAGES_WITH_DATA, add_run, &r), lo);
	munmap(p, NPAGES * HS_PAGE_SIZE);
}
END_TEST

/* A guard marker (MADV_GUARD_INSTALL, Linux 6.13: glibc's thread stacks
 * have them) reads as swapped out, but reading it faults: it is not a page
 * with data, or the leak scan faulted there and skipped the rest of a
 * root. Both readers leave it out. */
START_TEST(test_guard_marker)
{
	char *p = touched();
	uintptr_t lo = (uintptr_t)p, hi = lo + NPAGES * HS_PAGE_SIZE;
	if (madvise(p + 20 * HS_PAGE_SIZE, HS_PAGE_SIZE, 102 /* MADV_GUARD_INSTALL */) != 0)
		ck_assert_int_eq(errno, EINVAL); /* a kernel without markers: nothing to leave out */
	struct hs_pagescan ps;
	ck_assert_int_eq(hs_pagescan_open(&ps, 0), 0);
	for (int fallback = 0; fallback < 2; fallback++) {
		ps.scan = !fallback;
		struct runs r = {0};
		ck_assert_uint_eq(hs_pagescan_each(&ps, lo, hi, HS_PAGES_WITH_DATA, add_run, &r), hi);
		expect(&r, p, "0-1 5-6 10-13");
	}
	hs_pagescan_close(&ps);
	munmap(p, NPAGES * HS_PAGE_SIZE);
}
END_TEST

/* A huge sparse mapping: two written pages 64 GiB apart are two runs (the
 * fallback would read 128 MiB of pagemap for it). */
START_TEST(test_sparse)
{
	size_t size = (size_t)64 << 30;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	p[0] = 1;
	p[size - 1] = 1;
	struct hs_pagescan ps;
	ck_assert_int_eq(hs_pagescan_open(&ps, 1u << 20), 0);
	struct runs r = {0};
	uintptr_t done = hs_pagescan_each(&ps, (uintptr_t)p, (uintptr_t)p + size, HS_PAGES_RESIDENT, add_run, &r);
	if (ps.scan) {
		ck_assert_uint_eq(done, (uintptr_t)p + size);
		ck_assert_uint_eq(r.n, 2);
		ck_assert_uint_eq(r.b[1] - r.a[1], HS_PAGE_SIZE);
	} else {
		ck_assert_uint_lt(done, (uintptr_t)p + size); /* stopped at the bound */
	}
	hs_pagescan_close(&ps);
	munmap(p, size);
}
END_TEST

int main(int argc, char **argv)
{
	(void)argc;
	Suite *s = suite_create("pagescan");
	TCase *tc = unit_tcase("pagescan", 1);
	tcase_add_test(tc, test_runs);
	tcase_add_test(tc, test_fallback);
	tcase_add_test(tc, test_guard_marker);
	tcase_add_test(tc, test_sparse);
	suite_add_tcase(s, tc);
	return unit_run(s, argv);
}
