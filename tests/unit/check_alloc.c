/* check_alloc.c — the allocator's front door (alloc.h): hs_alloc through the
 * slab, buddy and large tiers with their usable sizes and alignments,
 * zero = 1 on fresh and on reused dirty memory, hs_realloc in place and by
 * moving within and across tiers with contents preserved, bad frees (double,
 * interior, foreign, mismatched) reported and ignored with the heap left
 * consistent, errno preserved by hs_free, ENOMEM, the fallback to a mapping
 * when the heap is exhausted or missing, and a seeded random workload that
 * checks no live block is ever handed out twice.
 */
#include "unit.h"

#include <stdio.h>

#include <heapscope/trace_format.h>

#include "block.h"
#include "large.h"
#include "options.h"
#include "tcache.h"

#define MiB ((size_t)1 << 20)

static void *A(size_t size)
{
	return hs_alloc(size, HS_MIN_ALIGN, HS_API_MALLOC, 0);
}

static void F(void *p)
{
	hs_free(p, HS_API_FREE);
}

/* What hs_usable_size must say for a block of `size` at malloc alignment. */
static size_t want_usable(size_t size)
{
	if (size <= HS_SLAB_MAX_SIZE)
		return hs_slab_classes[hs_slab_class_of(size)].size;
	if (size <= MiB)
		return HS_PAGE_SIZE << hs_buddy_order_for(size);
	return hs_align_up(size, HS_PAGE_SIZE);
}

static unsigned kind_of(const void *p)
{
	struct hs_block b;
	ck_assert_int_eq(hs_block_find(p, &b), HS_FIND_START);
	return b.kind;
}

static void fill(char *p, size_t n, unsigned seed)
{
	for (size_t k = 0; k < n; k++)
		p[k] = (char)(k * 31 + seed);
}

static void assert_filled(const char *p, size_t n, unsigned seed)
{
	for (size_t k = 0; k < n; k++)
		UNIT_EQ((unsigned char)p[k], (unsigned char)(k * 31 + seed), "byte %zu of %zu", k, n);
}

static void assert_zero(const char *p, size_t n)
{
	for (size_t k = 0; k < n; k++)
		UNIT_EQ(p[k], 0, "byte %zu of %zu", k, n);
}

/* A report as report.c prints it: the headline, then the stack, then the
 * "Address" line. Checks the headline and the Address line exactly (the
 * raw stack addresses vary). */
static void expect_report(const char *text, const char *headline, const char *address)
{
	char pid[32], line[512];
	snprintf(pid, sizeof pid, "==%d== ", (int)getpid());
	snprintf(line, sizeof line, "%s%s\n", pid, headline);
	ck_assert_msg(!strncmp(text, line, strlen(line)), "'%s' does not start with '%s'", text, line);
	if (!address)
		return;
	snprintf(line, sizeof line, "\n%s Address %s\n", pid, address);
	ck_assert_msg(strstr(text, line) != NULL, "'%s' has no line '%s'", text, line + 1);
}

START_TEST(test_tiers)
{
	static const struct {
		size_t size;
		unsigned kind;
		size_t usable;
	} t[] = {
		{0, HS_BLOCK_SLAB, 16},
		{100, HS_BLOCK_SLAB, 112},
		{3584, HS_BLOCK_SLAB, 3584},
		{3585, HS_BLOCK_BUDDY, 4096},
		{MiB, HS_BLOCK_BUDDY, MiB},
		{MiB + 1, HS_BLOCK_LARGE, MiB + HS_PAGE_SIZE},
	};
	enum { N = sizeof t / sizeof t[0] };
	char *p[N];
	for (unsigned k = 0; k < N; k++) {
		p[k] = A(t[k].size);
		ck_assert_ptr_nonnull(p[k]);
		ck_assert_uint_eq((uintptr_t)p[k] % HS_MIN_ALIGN, 0);
		ck_assert_uint_eq(kind_of(p[k]), t[k].kind);
		ck_assert_int_eq(hs_heap_contains(p[k]), t[k].kind != HS_BLOCK_LARGE);
		ck_assert_uint_eq(hs_usable_size(p[k]), t[k].usable);
		fill(p[k], t[k].usable, k);
	}
	for (unsigned k = 0; k < N; k++) {
		assert_filled(p[k], t[k].usable, k);
		F(p[k]);
		ck_assert_uint_eq(hs_usable_size(p[k]), 0);
	}
	unit_heap_check();
}
END_TEST

START_TEST(test_usable_size)
{
	static const size_t sizes[][2] = {
		{1, 16}, {16, 16}, {17, 32}, {129, 160}, {1000, 1024}, {1025, 1280},
		{2049, 2560}, {3584, 3584}, {3585, 4096}, {4096, 4096}, {4097, 8192},
		{65536, 65536}, {65537, 131072}, {MiB, MiB}, {MiB + 1, MiB + 4096},
		{5 * MiB + 1, 5 * MiB + 4096},
	};
	for (unsigned k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		char *p = A(sizes[k][0]);
		ck_assert_uint_eq(hs_usable_size(p), sizes[k][1]);
		ck_assert_uint_eq(want_usable(sizes[k][0]), sizes[k][1]);
		ck_assert_uint_eq(hs_usable_size(p + 1), 0); /* interior */
		F(p);
		ck_assert_uint_eq(hs_usable_size(p), 0); /* freed */
	}
	int local;
	void *glibc = malloc(10);
	ck_assert_uint_eq(hs_usable_size(NULL), 0);
	ck_assert_uint_eq(hs_usable_size(&local), 0);
	ck_assert_uint_eq(hs_usable_size(glibc), 0);
	ck_assert_uint_eq(hs_usable_size(hs_heap.base + 12345 * HS_PAGE_SIZE), 0);
	free(glibc);
}
END_TEST

START_TEST(test_alignment)
{
	static const size_t sizes[] = {1, 17, 100, 1000, 3584, 4000, 5000, 100000, MiB, MiB + 1};
	enum { NS = sizeof sizes / sizeof sizes[0], NA = 18 };
	static char *p[NA * NS];
	static size_t len[NA * NS];
	unsigned n = 0;
	for (unsigned a = 5; a < 5 + NA; a++) { /* 32 B .. 4 MiB */
		size_t align = (size_t)1 << a;
		for (unsigned k = 0; k < NS; k++) {
			char *q = hs_alloc(sizes[k], align, HS_API_MEMALIGN, 0);
			ck_assert_ptr_nonnull(q);
			ck_assert_uint_eq((uintptr_t)q % align, 0);
			size_t u = hs_usable_size(q);
			ck_assert_uint_ge(u, sizes[k]);
			q[0] = 1;
			q[sizes[k] - 1] = 2;
			p[n] = q;
			len[n] = u;
			n++;
		}
	}
	/* no two of them overlap */
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++)
			if ((uintptr_t)p[i] < (uintptr_t)p[j] + len[j] &&
			    (uintptr_t)p[j] < (uintptr_t)p[i] + len[i])
				ck_abort_msg("%p (+%zu) overlaps %p (+%zu)", p[i], len[i], p[j], len[j]);
	for (unsigned i = 0; i < n; i++)
		hs_free(p[i], HS_API_FREE);
	unit_heap_check();

	/* which tier serves what */
	char *q = hs_alloc(100, 64, HS_API_MEMALIGN, 0);
	ck_assert_uint_eq(kind_of(q), HS_BLOCK_SLAB);
	ck_assert_uint_eq(hs_usable_size(q), 128);
	q = hs_alloc(10, 2048, HS_API_MEMALIGN, 0);
	ck_assert_uint_eq(kind_of(q), HS_BLOCK_SLAB);
	ck_assert_uint_eq(hs_usable_size(q), 2048);
	q = hs_alloc(3000, 1024, HS_API_MEMALIGN, 0);
	ck_assert_uint_eq(kind_of(q), HS_BLOCK_SLAB);
	ck_assert_uint_eq(hs_usable_size(q), 3072);
	q = hs_alloc(3100, 1024, HS_API_MEMALIGN, 0); /* 3584 is not a multiple of 1024 */
	ck_assert_uint_eq(kind_of(q), HS_BLOCK_BUDDY);
	ck_assert_uint_eq(hs_usable_size(q), 4096);
	q = hs_alloc(100, 4096, HS_API_MEMALIGN, 0);
	ck_assert_uint_eq(kind_of(q), HS_BLOCK_BUDDY);
	ck_assert_uint_eq(hs_usable_size(q), 4096);
	q = hs_alloc(100, MiB, HS_API_MEMALIGN, 0);
	ck_assert_uint_eq(kind_of(q), HS_BLOCK_BUDDY);
	ck_assert_uint_eq(hs_usable_size(q), MiB);
	q = hs_alloc(100, 2 * MiB, HS_API_MEMALIGN, 0);
	ck_assert_uint_eq(kind_of(q), HS_BLOCK_LARGE);
	ck_assert_uint_eq((uintptr_t)q % (2 * MiB), 0);
	ck_assert_uint_eq(hs_usable_size(q), HS_PAGE_SIZE);
}
END_TEST

/* aligned_alloc(2 MiB, 0) twice: two live blocks, so two addresses. */
START_TEST(test_zero_size_aligned_unique)
{
	char *a = hs_alloc(0, 2 * MiB, HS_API_ALIGNED_ALLOC, 0);
	char *b = hs_alloc(0, 2 * MiB, HS_API_ALIGNED_ALLOC, 0);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_ne(a, b);
}
END_TEST

START_TEST(test_zero_slab_reused)
{
	enum { N = 30 }; /* fewer than a magazine holds: no flush reorders them */
	char *p[N];
	for (unsigned k = 0; k < N; k++) {
		p[k] = A(200);
		memset(p[k], 0xCC, 224); /* the whole slot */
	}
	/* freed in reverse: the magazine gives them back in the same order */
	for (unsigned k = N; k-- > 0;)
		F(p[k]);
	for (unsigned k = 0; k < N; k++) {
		char *q = hs_alloc(200, HS_MIN_ALIGN, HS_API_CALLOC, 1);
		ck_assert_ptr_eq(q, p[k]);
		assert_zero(q, 200);
	}
	/* another size of the same class: the requested bytes are zeroed */
	F(p[0]);
	char *q = hs_alloc(193, HS_MIN_ALIGN, HS_API_CALLOC, 1);
	ck_assert_ptr_eq(q, p[0]);
	assert_zero(q, 193);
}
END_TEST

START_TEST(test_zero_buddy_reused)
{
	char *p = A(8192);
	ck_assert_ptr_eq(p, hs_heap.base); /* page 0, order 1 */
	memset(p, 0xCC, 8192);
	F(p);
	char *q = hs_alloc(8192, HS_MIN_ALIGN, HS_API_CALLOC, 1);
	ck_assert_ptr_eq(q, p);
	assert_zero(q, 8192);

	/* pages released by an in-place shrink are dirty and must be zeroed
	 * when they come back through zero = 1: 20000 B is order 3 at page 8,
	 * shrinking it to order 1 pushes page 10 at the head of order 1 */
	char *r = A(20000);
	ck_assert_ptr_eq(r, hs_heap.base + 8 * HS_PAGE_SIZE);
	memset(r, 0xEE, 32768);
	ck_assert_ptr_eq(hs_realloc(r, 5000, HS_API_REALLOC), r);
	char *s = hs_alloc(8192, HS_MIN_ALIGN, HS_API_CALLOC, 1);
	ck_assert_ptr_eq(s, r + 2 * HS_PAGE_SIZE);
	assert_zero(s, 8192);
	char *t = hs_alloc(16384, HS_MIN_ALIGN, HS_API_CALLOC, 1);
	ck_assert_ptr_eq(t, r + 4 * HS_PAGE_SIZE);
	assert_zero(t, 16384);
	unit_heap_check();
}
END_TEST

START_TEST(test_zero_large)
{
	char *p = hs_alloc(2 * MiB + 3, HS_MIN_ALIGN, HS_API_CALLOC, 1);
	assert_zero(p, 2 * MiB + 3);
	memset(p, 0xAB, 2 * MiB + 3);
	F(p);
	p = hs_alloc(2 * MiB + 3, HS_MIN_ALIGN, HS_API_CALLOC, 1);
	assert_zero(p, 2 * MiB + 3);
}
END_TEST

START_TEST(test_realloc_slab)
{
	struct hs_block b;
	char *p = hs_realloc(NULL, 20, HS_API_REALLOC);
	ck_assert_uint_eq(hs_usable_size(p), 32);
	ck_assert_int_eq(hs_block_find(p, &b), HS_FIND_START);
	ck_assert_uint_eq(b.meta->api, HS_API_REALLOC);
	fill(p, 20, 1);
	/* same class: in place, new size recorded */
	ck_assert_ptr_eq(hs_realloc(p, 30, HS_API_REALLOC), p);
	ck_assert_int_eq(hs_block_find(p, &b), HS_FIND_START);
	ck_assert_uint_eq(b.size, 30);
	ck_assert_ptr_eq(hs_realloc(p, 17, HS_API_REALLOC), p);
	ck_assert_int_eq(hs_block_find(p, &b), HS_FIND_START);
	ck_assert_uint_eq(b.size, 17);
	assert_filled(p, 17, 1);
	/* smaller class: moves, the old object is free */
	char *q = hs_realloc(p, 16, HS_API_REALLOC);
	ck_assert_ptr_ne(q, p);
	ck_assert_uint_eq(hs_usable_size(q), 16);
	assert_filled(q, 16, 1);
	ck_assert_uint_eq(hs_usable_size(p), 0);
	/* larger class */
	fill(q, 16, 2);
	p = hs_realloc(q, 500, HS_API_REALLOC);
	ck_assert_ptr_ne(p, q);
	ck_assert_uint_eq(hs_usable_size(p), 512);
	assert_filled(p, 16, 2);
	ck_assert_uint_eq(hs_usable_size(q), 0);
	/* to the buddy tier and back */
	fill(p, 500, 3);
	q = hs_realloc(p, 5000, HS_API_REALLOC);
	ck_assert_uint_eq(kind_of(q), HS_BLOCK_BUDDY);
	assert_filled(q, 500, 3);
	ck_assert_uint_eq(hs_usable_size(p), 0);
	fill(q, 5000, 4);
	p = hs_realloc(q, 3000, HS_API_REALLOC);
	ck_assert_uint_eq(kind_of(p), HS_BLOCK_SLAB);
	ck_assert_uint_eq(hs_usable_size(p), 3072);
	assert_filled(p, 3000, 4);
	/* to the large tier and back */
	q = hs_realloc(p, 3 * MiB, HS_API_REALLOC);
	ck_assert_uint_eq(kind_of(q), HS_BLOCK_LARGE);
	assert_filled(q, 3000, 4);
	fill(q, 3 * MiB, 5);
	p = hs_realloc(q, 100, HS_API_REALLOC);
	ck_assert_uint_eq(kind_of(p), HS_BLOCK_SLAB);
	assert_filled(p, 100, 5);
	ck_assert_ptr_null(hs_large_find(q));
	F(p);
	unit_heap_check();
}
END_TEST

START_TEST(test_realloc_buddy)
{
	/* fresh heap: 5000 B is order 1 at page 0, its buddies all free */
	char *p = A(5000);
	ck_assert_ptr_eq(p, hs_heap.base);
	fill(p, 5000, 9);
	ck_assert_ptr_eq(hs_realloc(p, 16000, HS_API_REALLOC), p);
	ck_assert_uint_eq(hs_usable_size(p), 16384);
	assert_filled(p, 5000, 9);
	fill(p, 16000, 10);
	ck_assert_ptr_eq(hs_realloc(p, MiB, HS_API_REALLOC), p);
	ck_assert_uint_eq(hs_usable_size(p), MiB);
	assert_filled(p, 16000, 10);
	/* shrinks in place down to one page */
	ck_assert_ptr_eq(hs_realloc(p, 4000, HS_API_REALLOC), p);
	ck_assert_uint_eq(hs_usable_size(p), 4096);
	assert_filled(p, 4000, 10);
	unit_heap_check();

	/* a used buddy forces a move */
	char *q = A(5000); /* order 1 at page 2 */
	ck_assert_ptr_eq(q, hs_heap.base + 2 * HS_PAGE_SIZE);
	fill(p, 4000, 11);
	char *r = hs_realloc(p, 10000, HS_API_REALLOC);
	ck_assert_ptr_ne(r, p);
	ck_assert_uint_eq(kind_of(r), HS_BLOCK_BUDDY);
	ck_assert_uint_eq(hs_usable_size(r), 16384);
	assert_filled(r, 4000, 11);
	ck_assert_uint_eq(hs_usable_size(p), 0);

	/* above 1 MiB: a mapping of its own */
	fill(r, 10000, 12);
	char *s = hs_realloc(r, MiB + 1, HS_API_REALLOC);
	ck_assert_uint_eq(kind_of(s), HS_BLOCK_LARGE);
	assert_filled(s, 10000, 12);
	ck_assert_uint_eq(hs_usable_size(r), 0);
	/* large → large keeps contents; large → buddy too */
	fill(s, MiB + 1, 13);
	char *t = hs_realloc(s, 8 * MiB, HS_API_REALLOC);
	ck_assert_uint_eq(kind_of(t), HS_BLOCK_LARGE);
	ck_assert_uint_eq(hs_usable_size(t), 8 * MiB);
	assert_filled(t, MiB + 1, 13);
	char *u = hs_realloc(t, 100000, HS_API_REALLOC);
	ck_assert_uint_eq(kind_of(u), HS_BLOCK_BUDDY);
	ck_assert_uint_eq(hs_usable_size(u), 131072);
	assert_filled(u, 100000, 13);
	ck_assert_ptr_null(hs_large_find(t));
	F(u);
	F(q);
	struct hs_large_stats ls;
	hs_large_stats(&ls);
	ck_assert_uint_eq(ls.blocks, 0);
	unit_heap_check();
}
END_TEST

START_TEST(test_realloc_edges)
{
	struct unit_capture cap;
	unit_capture_start(&cap);
	/* size 0 frees and returns NULL */
	char *p = A(100);
	ck_assert_ptr_null(hs_realloc(p, 0, HS_API_REALLOC));
	ck_assert_uint_eq(hs_usable_size(p), 0);
	p = A(8192);
	ck_assert_ptr_null(hs_realloc(p, 0, HS_API_REALLOC));
	ck_assert_uint_eq(hs_usable_size(p), 0);
	/* too large: NULL, ENOMEM, the block untouched */
	p = A(100);
	fill(p, 100, 4);
	errno = 0;
	ck_assert_ptr_null(hs_realloc(p, (size_t)PTRDIFF_MAX + 1, HS_API_REALLOC));
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_uint_eq(hs_usable_size(p), 112);
	assert_filled(p, 100, 4);
	errno = 0;
	ck_assert_ptr_null(hs_realloc(p, (size_t)1 << 62, HS_API_REALLOC));
	ck_assert_int_eq(errno, ENOMEM);
	assert_filled(p, 100, 4);
	ck_assert_str_eq(unit_capture_take(&cap), "");
	/* a pointer that is not a block start: NULL, ENOMEM, reported, nothing
	 * freed */
	errno = 0;
	ck_assert_ptr_null(hs_realloc(p + 16, 200, HS_API_REALLOC));
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_uint_eq(hs_usable_size(p), 112);
	assert_filled(p, 100, 4);
	char want[256];
	snprintf(want, sizeof want, "0x%jx is 16 bytes inside a block of size 100 alloc'd (allocated by malloc)",
		 (uintmax_t)(uintptr_t)(p + 16));
	expect_report(unit_capture_take(&cap), "Invalid realloc() (invalid-free)", want);
	/* a freed block: NULL, ENOMEM, reported as a double free */
	F(p);
	errno = 0;
	ck_assert_ptr_null(hs_realloc(p, 200, HS_API_REALLOC));
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_uint_eq(hs_usable_size(p), 0);
	snprintf(want, sizeof want, "0x%jx is 0 bytes inside a block of size 100 free'd (allocated by malloc)",
		 (uintmax_t)(uintptr_t)p);
	expect_report(unit_capture_take(&cap), "Invalid realloc() (double-free)", want);
	char *q = A(100);
	ck_assert_ptr_eq(q, p); /* still in the cache exactly once */
	ck_assert_ptr_ne(A(100), p);
	unit_capture_stop(&cap);
	unit_heap_check();
}
END_TEST


START_TEST(test_bad_frees)
{
	struct unit_capture cap;
	char want[512];
	unit_capture_start(&cap);

	/* double free of a slab object: reported once, the object is in the
	 * thread cache once */
	char *p = A(100);
	F(p);
	F(p);
	snprintf(want, sizeof want, "0x%jx is 0 bytes inside a block of size 100 free'd (allocated by malloc)",
		 (uintmax_t)(uintptr_t)p);
	expect_report(unit_capture_take(&cap), "Invalid free() (double-free)", want);
	char *a = A(100), *b = A(100);
	ck_assert_ptr_eq(a, p);
	ck_assert_ptr_ne(b, p);

	/* interior free of a slab object: reported, the block stays live */
	F(a + 8);
	snprintf(want, sizeof want, "0x%jx is 8 bytes inside a block of size 100 alloc'd (allocated by malloc)",
		 (uintmax_t)(uintptr_t)(a + 8));
	expect_report(unit_capture_take(&cap), "Invalid free() (invalid-free)", want);
	ck_assert_uint_eq(hs_usable_size(a), 112);

	/* foreign pointers */
	int local;
	void *glibc = malloc(32);
	F(&local);
	snprintf(want, sizeof want, "0x%jx is not in any heap block (stack)", (uintmax_t)(uintptr_t)&local);
	expect_report(unit_capture_take(&cap), "Invalid free() (invalid-free)", want);
	F(glibc);
	/* glibc's heap is the brk area: "mapped", not heapscope's heap */
	snprintf(want, sizeof want, "0x%jx is not in any heap block (mapped)", (uintmax_t)(uintptr_t)glibc);
	expect_report(unit_capture_take(&cap), "Invalid free() (invalid-free)", want);
	free(glibc);
	F((void *)(uintptr_t)1);
	expect_report(unit_capture_take(&cap), "Invalid free() (invalid-free)",
		      "0x1 is not in any heap block (null)");

	/* buddy block: interior, then double free */
	char *q = A(8192);
	F(q + 4096);
	snprintf(want, sizeof want, "0x%jx is 4096 bytes inside a block of size 8192 alloc'd (allocated by malloc)",
		 (uintmax_t)(uintptr_t)(q + 4096));
	expect_report(unit_capture_take(&cap), "Invalid free() (invalid-free)", want);
	ck_assert_uint_eq(hs_usable_size(q), 8192);
	F(q);
	ck_assert_str_eq(unit_capture_take(&cap), "");
	F(q);
	/* the buddy block went back at once (no quarantine without recording):
	 * its address is free heap memory now */
	snprintf(want, sizeof want, "0x%jx is not in any heap block (heap)", (uintmax_t)(uintptr_t)q);
	expect_report(unit_capture_take(&cap), "Invalid free() (invalid-free)", want);
	char *q1 = A(8192), *q2 = A(8192);
	ck_assert_ptr_eq(q1, q);
	ck_assert_ptr_ne(q2, q);

	/* large block: interior, then double free */
	char *r = A(2 * MiB);
	F(r + 16);
	snprintf(want, sizeof want, "0x%jx is 16 bytes inside a block of size 2097152 alloc'd (allocated by malloc)",
		 (uintmax_t)(uintptr_t)(r + 16));
	expect_report(unit_capture_take(&cap), "Invalid free() (invalid-free)", want);
	ck_assert_uint_eq(hs_usable_size(r), 2 * MiB);
	r[2 * MiB - 1] = 1;
	F(r);
	ck_assert_str_eq(unit_capture_take(&cap), "");
	F(r);
	expect_report(unit_capture_take(&cap), "Invalid free() (invalid-free)", NULL);

	/* mismatched family: reported, and released anyway */
	char *n = hs_alloc(100, HS_MIN_ALIGN, HS_API_NEW, 0);
	hs_free(n, HS_API_FREE);
	snprintf(want, sizeof want,
		 "0x%jx is 0 bytes inside a block of size 100 alloc'd (allocated by new, released by free)",
		 (uintmax_t)(uintptr_t)n);
	expect_report(unit_capture_take(&cap), "Mismatched free() / delete / delete [] (mismatched-free)", want);
	ck_assert_uint_eq(hs_usable_size(n), 0);
	char *m = A(100);
	hs_free(m, HS_API_DELETE_ARRAY);
	snprintf(want, sizeof want,
		 "0x%jx is 0 bytes inside a block of size 100 alloc'd (allocated by malloc, released by delete[])",
		 (uintmax_t)(uintptr_t)m);
	expect_report(unit_capture_take(&cap), "Mismatched free() / delete / delete [] (mismatched-free)", want);

	/* verbosity 0: silent, still ignored */
	hs_opt.verbosity = 0;
	F(a + 8);
	F(&local);
	ck_assert_str_eq(unit_capture_take(&cap), "");
	ck_assert_uint_eq(hs_usable_size(a), 112);
	hs_opt.verbosity = 1;
	unit_capture_stop(&cap);
	unit_heap_check();

	/* the heap still works and hands out nothing that is live */
	enum { N = 100 };
	static char *live[4 + 3 * N];
	static size_t len[4 + 3 * N];
	unsigned nl = 0;
	char *keep[] = {a, b, q1, q2};
	for (unsigned k = 0; k < 4; k++) {
		live[nl] = keep[k];
		len[nl++] = hs_usable_size(keep[k]);
	}
	for (unsigned k = 0; k < N; k++) {
		static const size_t sizes[] = {100, 8192, MiB + 1};
		for (unsigned s = 0; s < 3; s++) {
			char *x = A(sizes[s]);
			ck_assert_ptr_nonnull(x);
			size_t u = hs_usable_size(x);
			for (unsigned j = 0; j < nl; j++)
				if ((uintptr_t)x < (uintptr_t)live[j] + len[j] &&
				    (uintptr_t)live[j] < (uintptr_t)x + u)
					ck_abort_msg("%p (+%zu) handed out over live %p (+%zu)", x, u,
						     live[j], len[j]);
			live[nl] = x;
			len[nl++] = u;
		}
	}
	for (unsigned j = 0; j < nl; j++)
		F(live[j]);
	unit_heap_check();
}
END_TEST

START_TEST(test_errno_preserved)
{
	enum { N = 2000 };
	static char *p[N];
	int local;
	/* reports that cannot be written still leave errno alone */
	hs_err_fd = -1;
	hs_opt.retain_chunks = 0; /* every whole free chunk is madvised away */
	for (unsigned k = 0; k < N; k++)
		p[k] = A(100);
	for (unsigned k = 0; k < N; k++) {
		errno = EXDEV;
		F(p[k]); /* magazine flushes, slabs going back to the buddy allocator */
		UNIT_EQ(errno, EXDEV, "slab free %u", k);
	}
	for (unsigned k = 0; k < 20; k++)
		p[k] = A(MiB);
	for (unsigned k = 0; k < 20; k++) {
		errno = EXDEV;
		F(p[k]);
		ck_assert_int_eq(errno, EXDEV);
	}
	for (unsigned k = 0; k < 4; k++)
		p[k] = A(3 * MiB);
	for (unsigned k = 0; k < 4; k++) {
		errno = EXDEV;
		F(p[k]);
		ck_assert_int_eq(errno, EXDEV);
	}
	errno = EXDEV;
	F(NULL);
	ck_assert_int_eq(errno, EXDEV);
	F(&local);
	ck_assert_int_eq(errno, EXDEV);
	F(p[0]); /* a double free of a large block */
	ck_assert_int_eq(errno, EXDEV);
	char *q = A(100);
	F(q);
	errno = EXDEV;
	F(q);
	ck_assert_int_eq(errno, EXDEV);
	q = hs_alloc(100, HS_MIN_ALIGN, HS_API_NEW, 0);
	errno = EXDEV;
	F(q); /* mismatched: reported, then released */
	ck_assert_int_eq(errno, EXDEV);
	ck_assert_uint_eq(hs_usable_size(q), 0);
}
END_TEST

START_TEST(test_enomem)
{
	errno = 0;
	ck_assert_ptr_null(A((size_t)PTRDIFF_MAX + 1));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(A(SIZE_MAX));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(A((size_t)1 << 62));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(hs_alloc((size_t)1 << 62, 4096, HS_API_MEMALIGN, 0));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(hs_alloc(100, (size_t)1 << 62, HS_API_MEMALIGN, 0));
	ck_assert_int_eq(errno, ENOMEM);
	/* and nothing was left behind */
	struct hs_large_stats ls;
	hs_large_stats(&ls);
	ck_assert_uint_eq(ls.blocks, 0);
	ck_assert_uint_eq(ls.mapped, 0);
}
END_TEST

/* With the heap full (hs_heap.npages lowered to nothing: a test hook), a
 * buddy-sized request gets a mapping of its own. */
START_TEST(test_heap_exhausted_fallback)
{
	hs_heap.npages = 0;
	char *p = A(8192);
	ck_assert_ptr_nonnull(p);
	ck_assert(!hs_heap_contains(p));
	ck_assert_uint_eq(kind_of(p), HS_BLOCK_LARGE);
	ck_assert_uint_eq(hs_usable_size(p), 8192);
	fill(p, 8192, 3);
	char *q = hs_realloc(p, 20000, HS_API_REALLOC);
	ck_assert_uint_eq(kind_of(q), HS_BLOCK_LARGE);
	assert_filled(q, 8192, 3);
	char *z = hs_alloc(70000, HS_MIN_ALIGN, HS_API_CALLOC, 1);
	assert_zero(z, 70000);
	F(q);
	F(z);
	struct hs_large_stats ls;
	hs_large_stats(&ls);
	ck_assert_uint_eq(ls.blocks, 0);
	struct hs_buddy_stats st;
	hs_buddy_stats(&st);
	ck_assert_uint_eq(st.committed, 0);
}
END_TEST

/* When hs_heap_init cannot reserve the heap, init.c says "every block gets
 * its own mapping" and leaves hs_heap all zero; this recreates that state
 * right after init. A small block must still be served. */
START_TEST(test_no_heap_small_blocks)
{
	memset(&hs_heap, 0, sizeof hs_heap);
	char *big = A(8192);
	ck_assert_ptr_nonnull(big);
	ck_assert_uint_eq(kind_of(big), HS_BLOCK_LARGE);
	errno = 0;
	char *p = A(100);
	ck_assert_msg(p != NULL, "malloc(100) failed (errno %d) without a heap", errno);
	p[99] = 1;
	F(p);
	F(big);
}
END_TEST

/* A seeded mix of allocations, reallocations and frees over all tiers:
 * every block handed out is disjoint from every live one, its usable size
 * is exact, contents survive reallocation, and everything adds up at the
 * end. */
START_TEST(test_random_workload)
{
	enum { MAXLIVE = 400, OPS = 20000, TAG = 32 };
	static struct {
		char *p;
		size_t size, usable;
		unsigned seed;
	} live[MAXLIVE];
	unsigned nlive = 0;
	uint64_t rs = 20240601;
	for (unsigned op = 0; op < OPS; op++) {
		uint32_t r = unit_rand(&rs) % 100;
		if (nlive == 0 || (nlive < MAXLIVE && r < 70)) {
			int realloc_it = r >= 50 && nlive > 0;
			uint32_t t = unit_rand(&rs) % 100;
			size_t size;
			if (t < 75)
				size = unit_rand(&rs) % (HS_SLAB_MAX_SIZE + 1);
			else if (t < 97)
				size = HS_SLAB_MAX_SIZE + 1 + unit_rand(&rs) % (MiB - HS_SLAB_MAX_SIZE);
			else
				size = MiB + 1 + unit_rand(&rs) % (2 * MiB);
			unsigned k = realloc_it ? unit_rand(&rs) % nlive : nlive;
			char *p;
			if (realloc_it) {
				if (size == 0)
					size = 1; /* realloc(p, 0) frees */
				p = hs_realloc(live[k].p, size, HS_API_REALLOC);
				ck_assert_ptr_nonnull(p);
				size_t keep = size < live[k].size ? size : live[k].size;
				assert_filled(p, keep < TAG ? keep : TAG, live[k].seed);
			} else {
				int zero = unit_rand(&rs) % 4 == 0;
				p = hs_alloc(size, HS_MIN_ALIGN, zero ? HS_API_CALLOC : HS_API_MALLOC, zero);
				ck_assert_ptr_nonnull(p);
				if (zero)
					assert_zero(p, size < 4 * TAG ? size : 4 * TAG);
			}
			size_t u = hs_usable_size(p);
			UNIT_EQ(u, want_usable(size), "op %u size %zu", op, size);
			UNIT_EQ((uintptr_t)p % HS_MIN_ALIGN, 0, "op %u%s", op, "");
			for (unsigned j = 0; j < nlive; j++)
				if (j != k && (uintptr_t)p < (uintptr_t)live[j].p + live[j].usable &&
				    (uintptr_t)live[j].p < (uintptr_t)p + u)
					ck_abort_msg("op %u: %p (+%zu) over live %p (+%zu)", op, p, u,
						     live[j].p, live[j].usable);
			unsigned seed = unit_rand(&rs);
			fill(p, size < TAG ? size : TAG, seed);
			if (size >= 2 * TAG)
				fill(p + size - TAG, TAG, seed + 1);
			live[k].p = p;
			live[k].size = size;
			live[k].usable = u;
			live[k].seed = seed;
			if (!realloc_it)
				nlive++;
		} else {
			unsigned k = unit_rand(&rs) % nlive;
			size_t size = live[k].size;
			assert_filled(live[k].p, size < TAG ? size : TAG, live[k].seed);
			if (size >= 2 * TAG)
				assert_filled(live[k].p + size - TAG, TAG, live[k].seed + 1);
			F(live[k].p);
			live[k] = live[--nlive];
		}
		if (op % 2000 == 0)
			unit_heap_check();
	}
	while (nlive)
		F(live[--nlive].p);
	unit_heap_check();
	struct hs_buddy_stats st;
	hs_buddy_stats(&st);
	for (unsigned o = 0; o < HS_BUDDY_ORDERS; o++) {
		ck_assert_uint_eq(st.used_blocks[o], 0);
		ck_assert_uint_eq(st.requested[o], 0);
	}
	struct hs_large_stats ls;
	hs_large_stats(&ls);
	ck_assert_uint_eq(ls.blocks, 0);
	ck_assert_uint_eq(ls.requested, 0);
	struct hs_class_count cc[HS_SLAB_CLASSES];
	hs_tcache_counts(cc);
	for (unsigned c = 0; c < HS_SLAB_CLASSES; c++) {
		ck_assert_int_eq(cc[c].live, 0);
		ck_assert_int_eq(cc[c].requested, 0);
		ck_assert_uint_eq(cc[c].allocs, cc[c].frees);
	}
}
END_TEST

static Suite *alloc_suite(void)
{
	Suite *s = suite_create("alloc");
	TCase *tc = unit_tcase("tiers", 1);
	tcase_add_test(tc, test_tiers);
	tcase_add_test(tc, test_usable_size);
	tcase_add_test(tc, test_alignment);
	tcase_add_test(tc, test_zero_size_aligned_unique);
	tcase_add_test(tc, test_enomem);
	tcase_add_test(tc, test_heap_exhausted_fallback);
	tcase_add_test(tc, test_no_heap_small_blocks);
	suite_add_tcase(s, tc);
	tc = unit_tcase("zero", 1);
	tcase_add_test(tc, test_zero_slab_reused);
	tcase_add_test(tc, test_zero_buddy_reused);
	tcase_add_test(tc, test_zero_large);
	suite_add_tcase(s, tc);
	tc = unit_tcase("realloc", 1);
	tcase_add_test(tc, test_realloc_slab);
	tcase_add_test(tc, test_realloc_buddy);
	tcase_add_test(tc, test_realloc_edges);
	suite_add_tcase(s, tc);
	tc = unit_tcase("free", 1);
	tcase_add_test(tc, test_bad_frees);
	tcase_add_test(tc, test_errno_preserved);
	tcase_add_test(tc, test_random_workload);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	(void)argc;
	return unit_run(alloc_suite(), argv);
}
