/* check_api.c — Check suite for the C malloc API of libheapscope.so, run
 * under LD_PRELOAD: every exported C entry point with its argument edge
 * cases and errno rules, exact expectations throughout, and proof that the
 * blocks are heapscope's (usable sizes only its size policy yields, zero
 * from malloc_usable_size for memory it does not own).
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hs_testutil.h"

#define KiB HST_KIB
#define MiB HST_MIB
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Hide a value from the optimiser: keeps huge constant sizes from tripping
 * -Walloc-size-larger-than and stops the compiler reasoning about a pointer
 * after free (the tests look freed pointers up on purpose). */
static size_t opaque(size_t x)
{
	__asm__ volatile("" : "+r"(x));
	return x;
}

static void *launder(void *p)
{
	__asm__ volatile("" : "+r"(p));
	return p;
}

/* One size from each tier: slab, largest-ish slab, buddy, own mapping. */
static const size_t tier_sizes[] = {16, 3 * KiB, 64 * KiB, 2 * MiB};

/* Boundaries of every tier. */
static const size_t edge_sizes[] = {
	0, 1, 15, 16, 17, 100, 128, 129, 1024, 1025, 2048, 2049, 3584, 3585,
	4096, 4097, 8191, 65536, 65537, MiB - 1, MiB, MiB + 1, 2 * MiB, 3 * MiB + 5,
};

/* Every function libheapscope.so exports. */
static const char *const exported[] = {
	"malloc", "free", "cfree", "calloc", "realloc", "reallocarray", "memalign",
	"aligned_alloc", "posix_memalign", "valloc", "pvalloc", "malloc_usable_size",
	"__libc_malloc", "__libc_free", "__libc_calloc", "__libc_realloc",
	"__libc_memalign", "__libc_valloc", "__libc_pvalloc", "__libc_reallocarray",
	"__posix_memalign", "mallopt", "malloc_trim", "mallinfo", "mallinfo2",
	"malloc_stats", "malloc_info", "dlopen",
	"_Znwm", "_Znam", "_ZnwmRKSt9nothrow_t", "_ZnamRKSt9nothrow_t",
	"_ZnwmSt11align_val_t", "_ZnamSt11align_val_t",
	"_ZnwmSt11align_val_tRKSt9nothrow_t", "_ZnamSt11align_val_tRKSt9nothrow_t",
	"_ZdlPv", "_ZdaPv", "_ZdlPvRKSt9nothrow_t", "_ZdaPvRKSt9nothrow_t",
	"_ZdlPvm", "_ZdaPvm", "_ZdlPvSt11align_val_t", "_ZdaPvSt11align_val_t",
	"_ZdlPvSt11align_val_tRKSt9nothrow_t", "_ZdaPvSt11align_val_tRKSt9nothrow_t",
	"_ZdlPvmSt11align_val_t", "_ZdaPvmSt11align_val_t",
};

/* p is a live heapscope block for malloc(size): 16-aligned and with exactly
 * the usable size heapscope's policy gives. */
#define ck_assert_hs_block(p, size)                                                \
	do {                                                                       \
		ck_assert_ptr_nonnull(p);                                          \
		ck_assert_uint_eq((uintptr_t)(p) % 16, 0);                         \
		ck_assert_uint_eq(malloc_usable_size(p), hst_usable_for(size));    \
	} while (0)

#define ck_assert_pattern(p, id, from, to)                                         \
	ck_assert_uint_eq(hst_check((p), (id), (from), (to)), SIZE_MAX)

#define ck_assert_zeroed(p, n) ck_assert_uint_eq(hst_first_nonzero((p), (n)), SIZE_MAX)

static void *sym(const char *name)
{
	void *f = dlsym(RTLD_DEFAULT, name);
	ck_assert_msg(f != NULL, "%s not found", name);
	return f;
}

/* Everything written to f so far (malloc'd, NUL-terminated). */
static char *slurp(FILE *f)
{
	fflush(f);
	long n = ftell(f);
	ck_assert_int_ge(n, 0);
	char *s = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(s);
	rewind(f);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	return s;
}

/* Run fn with fds 1 and 2 redirected to temporary files; *out and *err get
 * what was written to each. (heapscope's own reports go to its private copy
 * of fd 2, see preload/out.c; malloc_stats writes to fd 2 itself.) */
static void capture(void (*fn)(void *), void *arg, char **out, char **err)
{
	fflush(stdout);
	fflush(stderr);
	FILE *fo = tmpfile(), *fe = tmpfile();
	ck_assert_ptr_nonnull(fo);
	ck_assert_ptr_nonnull(fe);
	int so = dup(1), se = dup(2);
	ck_assert_int_ge(so, 0);
	ck_assert_int_ge(se, 0);
	ck_assert_int_eq(dup2(fileno(fo), 1), 1);
	ck_assert_int_eq(dup2(fileno(fe), 2), 2);
	fn(arg);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	fseek(fo, 0, SEEK_END);
	fseek(fe, 0, SEEK_END);
	*out = slurp(fo);
	*err = slurp(fe);
	fclose(fo);
	fclose(fe);
}

/* ---- the preload is in charge ------------------------------------------ */

START_TEST(test_every_export_resolves_to_heapscope)
{
	for (size_t i = 0; i < NELEM(exported); i++)
		ck_assert_msg(hst_from_heapscope(exported[i]), "%s resolves to '%s'",
			      exported[i], hst_defining_object(exported[i]));
}
END_TEST

START_TEST(test_usable_size_zero_for_foreign_memory)
{
	int local = 0;
	ck_assert_uint_eq(malloc_usable_size(NULL), 0);
	ck_assert_uint_eq(malloc_usable_size(&local), 0);
	static char in_data[64];
	ck_assert_uint_eq(malloc_usable_size(in_data), 0);
	void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	ck_assert_uint_eq(malloc_usable_size(m), 0);
	ck_assert_uint_eq(malloc_usable_size((char *)m + 4096), 0);
	munmap(m, 8192);
	/* interior pointers of live blocks of every tier */
	for (size_t i = 0; i < NELEM(tier_sizes); i++) {
		char *p = malloc(tier_sizes[i]);
		ck_assert_hs_block(p, tier_sizes[i]);
		ck_assert_uint_eq(malloc_usable_size(p + 1), 0);
		ck_assert_uint_eq(malloc_usable_size(p + 8), 0);
		free(p);
	}
}
END_TEST

START_TEST(test_usable_size_zero_after_free)
{
	for (size_t i = 0; i < NELEM(edge_sizes); i++) {
		void *p = malloc(edge_sizes[i]);
		ck_assert_hs_block(p, edge_sizes[i]);
		void *stale = launder(p);
		free(p);
		ck_assert_uint_eq(malloc_usable_size(stale), 0);
	}
}
END_TEST

/* ---- malloc / free -------------------------------------------------------- */

START_TEST(test_malloc_zero_unique)
{
	enum { N = 256 };
	void *v[N];
	for (int i = 0; i < N; i++) {
		v[i] = malloc(0);
		ck_assert_hs_block(v[i], 0);
		ck_assert_uint_eq(malloc_usable_size(v[i]), 16);
		memset(launder(v[i]), 0x5A, 16); /* usable size, not the 0 asked */
		for (int j = 0; j < i; j++)
			ck_assert_ptr_ne(v[i], v[j]);
	}
	for (int i = 0; i < N; i++)
		free(v[i]);
}
END_TEST

START_TEST(test_malloc_edge_sizes)
{
	for (size_t i = 0; i < NELEM(edge_sizes); i++) {
		size_t n = edge_sizes[i];
		unsigned char *p = malloc(n);
		ck_assert_hs_block(p, n);
		size_t u = malloc_usable_size(p);
		ck_assert_uint_ge(u, n);
		hst_fill(p, i, 0, u); /* the whole usable size is the caller's */
		ck_assert_pattern(p, i, 0, u);
		free(p);
	}
}
END_TEST

START_TEST(test_usable_size_at_least_requested)
{
	for (size_t n = 0; n <= 70000; n += 7) {
		void *p = malloc(n);
		ck_assert_hs_block(p, n);
		free(p);
	}
	for (size_t n = 70000; n <= 5 * MiB; n = n * 3 / 2 + 4093) {
		void *p = malloc(n);
		ck_assert_hs_block(p, n);
		free(p);
	}
}
END_TEST

START_TEST(test_malloc_distinct_blocks_do_not_overlap)
{
	enum { N = 600 };
	static unsigned char *v[N];
	static size_t sz[N];
	for (int i = 0; i < N; i++) {
		sz[i] = edge_sizes[(size_t)i % NELEM(edge_sizes)] % (300 * KiB);
		v[i] = malloc(sz[i]);
		ck_assert_hs_block(v[i], sz[i]);
		hst_fill(v[i], (uint64_t)i + 1000, 0, sz[i]);
	}
	for (int i = 0; i < N; i++)
		ck_assert_pattern(v[i], (uint64_t)i + 1000, 0, sz[i]);
	for (int i = 0; i < N; i++)
		free(v[i]);
}
END_TEST

START_TEST(test_free_null)
{
	errno = EDOM;
	free(NULL);
	ck_assert_int_eq(errno, EDOM);
	void (*cfree_fn)(void *) = (void (*)(void *))sym("cfree");
	cfree_fn(NULL);
	ck_assert_int_eq(errno, EDOM);
	void (*libc_free)(void *) = (void (*)(void *))sym("__libc_free");
	libc_free(NULL);
	ck_assert_int_eq(errno, EDOM);
}
END_TEST

START_TEST(test_cfree_releases)
{
	void (*cfree_fn)(void *) = (void (*)(void *))sym("cfree");
	for (size_t i = 0; i < NELEM(tier_sizes); i++) {
		void *p = malloc(tier_sizes[i]);
		ck_assert_hs_block(p, tier_sizes[i]);
		void *stale = launder(p);
		cfree_fn(p);
		ck_assert_uint_eq(malloc_usable_size(stale), 0);
	}
}
END_TEST

START_TEST(test_free_preserves_errno)
{
	static const size_t sizes[] = {0, 16, 3 * KiB, 3585, 64 * KiB, MiB, 2 * MiB, 9 * MiB};
	for (size_t i = 0; i < NELEM(sizes); i++) {
		void *p = malloc(sizes[i]);
		ck_assert_hs_block(p, sizes[i]);
		errno = 4242;
		free(p);
		ck_assert_int_eq(errno, 4242);
	}
	/* Frees that return memory to the kernel (whole chunks beyond
	 * retain_chunks: madvise; empty slabs back to the buddy level). */
	enum { N = 24 };
	void *v[N];
	for (int i = 0; i < N; i++) {
		v[i] = malloc(MiB);
		ck_assert_hs_block(v[i], MiB);
		memset(v[i], 1, MiB);
	}
	for (int i = 0; i < N; i++) {
		errno = ERANGE;
		free(v[i]);
		ck_assert_int_eq(errno, ERANGE);
	}
	static void *small[4096];
	for (int i = 0; i < 4096; i++)
		small[i] = malloc(16);
	for (int i = 0; i < 4096; i++) {
		errno = EILSEQ;
		free(small[i]);
		ck_assert_int_eq(errno, EILSEQ);
	}
}
END_TEST

static void bad_frees(int *errs)
{
	int local;
	errno = 777;
	free(&local); /* not a heap block: reported, ignored */
	errs[0] = errno;
	char *p = malloc(100);
	errno = 778;
	free(p + 16); /* interior pointer */
	errs[1] = errno;
	free(p);
	char *stale = launder(p);
	errno = 779;
	free(stale); /* double free */
	errs[2] = errno;
}

START_TEST(test_bad_free_preserves_errno)
{
	/* The reports go to heapscope's own copy of stderr (see preload/out.c),
	 * so only their effect on errno and the heap is checked here. */
	int errs[3];
	bad_frees(errs);
	ck_assert_int_eq(errs[0], 777);
	ck_assert_int_eq(errs[1], 778);
	ck_assert_int_eq(errs[2], 779);
	void *q = malloc(100);
	ck_assert_hs_block(q, 100);
	free(q);
}
END_TEST

START_TEST(test_malloc_huge_fails_with_enomem)
{
	static const unsigned long long huge[] = {
		SIZE_MAX, SIZE_MAX - 4095, SIZE_MAX / 2 + 1, SIZE_MAX / 2, 1ull << 50, 1ull << 48,
	};
	for (size_t i = 0; i < NELEM(huge); i++) {
		errno = 0;
		void *p = malloc(opaque((size_t)huge[i]));
		ck_assert_msg(p == NULL, "malloc(%llu) = %p", huge[i], p);
		ck_assert_int_eq(errno, ENOMEM);
	}
	errno = 0;
	ck_assert_ptr_null(realloc(NULL, opaque(1ull << 50)));
	ck_assert_int_eq(errno, ENOMEM);
	/* still usable afterwards */
	for (size_t i = 0; i < NELEM(tier_sizes); i++) {
		void *p = malloc(tier_sizes[i]);
		ck_assert_hs_block(p, tier_sizes[i]);
		free(p);
	}
}
END_TEST

/* ---- calloc ------------------------------------------------------------- */

/* Past the heap's reservation small blocks come from mappings of their
 * own: the failed attempt on the heap must not leave ENOMEM in errno
 * when the allocation succeeds (it did, for 1,334 of 2,000 here). */
START_TEST(test_errno_kept_when_heap_exhausted)
{
	enum { BIG = 20000, SMALL = 2000 };
	static void *big[BIG], *small[SMALL];
	int nbig = 0;
	while (nbig < BIG && (big[nbig] = malloc(MiB)) != NULL) /* untouched: no memory used */
		nbig++;
	for (int i = 0; i < SMALL; i++) {
		size_t n = i % 3 == 0 ? 24 : i % 3 == 1 ? 3000 : 50000;
		errno = 4242;
		small[i] = i & 1 ? calloc(1, n) : malloc(n);
		ck_assert_ptr_nonnull(small[i]);
		ck_assert_msg(errno == 4242, "allocation %d of %zu bytes succeeded and set errno to %d", i, n, errno);
		memset(small[i], 0xFF, n);
	}
	for (int i = 0; i < SMALL; i++)
		free(small[i]);
	for (int i = 0; i < nbig; i++)
		free(big[i]);
}
END_TEST

START_TEST(test_calloc_overflow)
{
	static const struct { size_t n, size; } cases[] = {
		{SIZE_MAX, 2}, {2, SIZE_MAX}, {SIZE_MAX, SIZE_MAX},
		{(size_t)1 << 32, (size_t)1 << 32}, {SIZE_MAX / 2 + 1, 2},
		{(SIZE_MAX / 3) + 1, 3},
	};
	for (size_t i = 0; i < NELEM(cases); i++) {
		errno = 0;
		void *p = calloc(opaque(cases[i].n), opaque(cases[i].size));
		ck_assert_ptr_null(p);
		ck_assert_int_eq(errno, ENOMEM);
	}
	/* no overflow, just too big */
	errno = 0;
	ck_assert_ptr_null(calloc(opaque(1), opaque(SIZE_MAX)));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(calloc(opaque((size_t)1 << 25), opaque((size_t)1 << 25)));
	ck_assert_int_eq(errno, ENOMEM);
}
END_TEST

START_TEST(test_calloc_zero_sizes)
{
	void *a = calloc(0, 0), *b = calloc(0, 17), *c = calloc(17, 0);
	ck_assert_hs_block(a, 0);
	ck_assert_hs_block(b, 0);
	ck_assert_hs_block(c, 0);
	ck_assert_ptr_ne(a, b);
	ck_assert_ptr_ne(b, c);
	ck_assert_ptr_ne(a, c);
	free(a);
	free(b);
	free(c);
}
END_TEST

START_TEST(test_calloc_zeroes_reused_blocks)
{
	static const size_t sizes[] = {1, 16, 100, 3072, 3584, 5000, 64 * KiB, 300 * KiB, MiB, 2 * MiB};
	for (size_t s = 0; s < NELEM(sizes); s++) {
		size_t n = sizes[s];
		unsigned reused = 0;
		/* one block, dirtied, freed, calloc'd again: same slot */
		for (int r = 0; r < 50; r++) {
			unsigned char *p = malloc(n);
			ck_assert_hs_block(p, n);
			memset(p, 0xA5, malloc_usable_size(p));
			void *old = launder(p);
			free(p);
			unsigned char *q = calloc(1, n);
			ck_assert_hs_block(q, n);
			reused += q == old;
			/* as glibc: all that malloc_usable_size gives */
			ck_assert_zeroed(q, malloc_usable_size(q));
			free(q);
		}
		if (n <= MiB)
			ck_assert_msg(reused > 0, "calloc(%zu) never reused a freed block", n);
		/* many dirtied blocks, then many calloc'd: must reuse and zero */
		enum { N = 40 };
		void *v[N], *old[N];
		for (int i = 0; i < N; i++) {
			v[i] = malloc(n);
			ck_assert_hs_block(v[i], n);
			memset(v[i], 0xFF, malloc_usable_size(v[i]));
			old[i] = launder(v[i]);
		}
		for (int i = 0; i < N; i++)
			free(v[i]);
		reused = 0;
		for (int i = 0; i < N; i++) {
			v[i] = calloc(n, 1);
			ck_assert_hs_block(v[i], n);
			ck_assert_zeroed(v[i], malloc_usable_size(v[i]));
			for (int j = 0; j < N; j++)
				reused += v[i] == old[j];
		}
		if (n <= MiB)
			ck_assert_msg(reused > 0, "calloc(%zu) x%d reused no block", n, N);
		for (int i = 0; i < N; i++)
			free(v[i]);
	}
}
END_TEST

START_TEST(test_calloc_zeroes_merged_dirty_buddies)
{
	/* 16 dirty 64 KiB blocks merge into a 1 MiB block when freed; a
	 * 256 KiB and a 1 MiB calloc over that memory must read zero. */
	enum { N = 16 };
	void *v[N];
	for (int i = 0; i < N; i++) {
		v[i] = malloc(64 * KiB);
		ck_assert_hs_block(v[i], 64 * KiB);
		memset(v[i], 0xC3, 64 * KiB);
	}
	for (int i = 0; i < N; i++)
		free(v[i]);
	void *a = calloc(1, 256 * KiB);
	ck_assert_hs_block(a, 256 * KiB);
	ck_assert_zeroed(a, 256 * KiB);
	void *b = calloc(4, 256 * KiB);
	ck_assert_hs_block(b, MiB);
	ck_assert_zeroed(b, MiB);
	void *c = calloc(1, 512 * KiB + 1);
	ck_assert_hs_block(c, 512 * KiB + 1);
	ck_assert_zeroed(c, 512 * KiB + 1);
	free(a);
	free(b);
	free(c);
	/* dirty small objects, then calloc of every slab class */
	for (size_t k = 0; k < HST_NCLASSES; k++) {
		size_t n = hst_classes[k];
		void *w[64];
		for (int i = 0; i < 64; i++) {
			w[i] = malloc(n);
			memset(w[i], 0x77, n);
		}
		for (int i = 0; i < 64; i++)
			free(w[i]);
		for (int i = 0; i < 64; i++) {
			w[i] = calloc(1, n);
			ck_assert_hs_block(w[i], n);
			ck_assert_zeroed(w[i], n);
		}
		for (int i = 0; i < 64; i++)
			free(w[i]);
	}
}
END_TEST

/* ---- realloc -------------------------------------------------------------- */

START_TEST(test_realloc_null_is_malloc)
{
	for (size_t i = 0; i < NELEM(edge_sizes); i++) {
		void *p = realloc(NULL, edge_sizes[i]);
		ck_assert_hs_block(p, edge_sizes[i]);
		memset(p, 0x11, edge_sizes[i]);
		free(p);
	}
}
END_TEST

START_TEST(test_realloc_zero_frees)
{
	static const size_t sizes[] = {0, 16, 3 * KiB, 64 * KiB, MiB, 2 * MiB};
	for (size_t i = 0; i < NELEM(sizes); i++) {
		void *p = malloc(sizes[i]);
		ck_assert_hs_block(p, sizes[i]);
		void *stale = launder(p);
		errno = 0;
		void *q = realloc(p, 0);
		ck_assert_ptr_null(q);
		ck_assert_uint_eq(malloc_usable_size(stale), 0); /* p was freed */
	}
}
END_TEST

START_TEST(test_realloc_preserves_contents_across_tiers)
{
	static const size_t sizes[] = {
		1, 16, 17, 3 * KiB, 3001, 3585, 64 * KiB, 65539, MiB, MiB + 1, 2 * MiB,
		2 * MiB + 3, 5 * MiB,
	};
	uint64_t id = 1;
	for (size_t a = 0; a < NELEM(sizes); a++) {
		for (size_t b = 0; b < NELEM(sizes); b++, id++) {
			size_t from = sizes[a], to = sizes[b];
			unsigned char *p = malloc(from);
			ck_assert_hs_block(p, from);
			hst_fill(p, id, 0, from);
			unsigned char *q = realloc(p, to);
			ck_assert_msg(q != NULL, "realloc %zu -> %zu", from, to);
			ck_assert_hs_block(q, to);
			size_t keep = from < to ? from : to;
			ck_assert_msg(hst_check(q, id, 0, keep) == SIZE_MAX,
				      "realloc %zu -> %zu lost byte %zu", from, to,
				      hst_check(q, id, 0, keep));
			hst_fill(q, id, keep, to);
			ck_assert_pattern(q, id, 0, to);
			free(q);
		}
	}
}
END_TEST

START_TEST(test_realloc_chain_up_and_down)
{
	static const size_t chain[] = {
		16, 3 * KiB, 64 * KiB, 2 * MiB, 6 * MiB, 2 * MiB, 64 * KiB, 3 * KiB, 16,
		2 * MiB, 16, 64 * KiB, 16,
	};
	unsigned char *p = malloc(chain[0]);
	hst_fill(p, 99, 0, chain[0]);
	size_t valid = chain[0]; /* bytes that must still hold the pattern */
	for (size_t i = 1; i < NELEM(chain); i++) {
		p = realloc(p, chain[i]);
		ck_assert_hs_block(p, chain[i]);
		if (valid > chain[i])
			valid = chain[i];
		ck_assert_pattern(p, 99, 0, valid);
		hst_fill(p, 99, valid, chain[i]);
		valid = chain[i];
	}
	free(p);
}
END_TEST

START_TEST(test_realloc_within_class_stays_in_place)
{
	/* 17..32 share the 32-byte class; 4097..8192 one 8 KiB buddy block;
	 * an own mapping grows or shrinks with mremap (may move, keeps data). */
	char *p = malloc(17);
	hst_fill(p, 5, 0, 17);
	ck_assert_ptr_eq(realloc(p, 32), p);
	ck_assert_pattern(p, 5, 0, 17);
	ck_assert_ptr_eq(realloc(p, 20), p);
	ck_assert_uint_eq(malloc_usable_size(p), 32);
	free(p);
	p = malloc(4097);
	hst_fill(p, 6, 0, 4097);
	ck_assert_ptr_eq(realloc(p, 8192), p);
	ck_assert_pattern(p, 6, 0, 4097);
	ck_assert_uint_eq(malloc_usable_size(p), 8192);
	free(p);
}
END_TEST

START_TEST(test_realloc_failure_keeps_block)
{
	static const unsigned long long huge[] = {SIZE_MAX, SIZE_MAX / 2 + 1, 1ull << 50};
	for (size_t i = 0; i < NELEM(tier_sizes); i++) {
		size_t n = tier_sizes[i];
		unsigned char *p = malloc(n);
		hst_fill(p, 77 + i, 0, n);
		for (size_t h = 0; h < NELEM(huge); h++) {
			errno = 0;
			void *q = realloc(p, opaque((size_t)huge[h]));
			ck_assert_ptr_null(q);
			ck_assert_int_eq(errno, ENOMEM);
			ck_assert_hs_block(p, n);
			ck_assert_pattern(p, 77 + i, 0, n);
		}
		free(p);
	}
}
END_TEST

START_TEST(test_realloc_of_aligned_blocks)
{
	static const size_t aligns[] = {64, 4096, 64 * KiB, MiB, 4 * MiB};
	for (size_t i = 0; i < NELEM(aligns); i++) {
		unsigned char *p = memalign(aligns[i], 1000);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % aligns[i], 0);
		hst_fill(p, i, 0, 1000);
		p = realloc(p, 200 * KiB);
		ck_assert_hs_block(p, 200 * KiB);
		ck_assert_pattern(p, i, 0, 1000);
		p = realloc(p, 10);
		ck_assert_hs_block(p, 10);
		ck_assert_pattern(p, i, 0, 10);
		free(p);
	}
	/* an over-aligned mapping of its own, grown and shrunk (mremap) */
	unsigned char *p = memalign(4 * MiB, 5 * MiB);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq((uintptr_t)p % (4 * MiB), 0);
	hst_fill(p, 42, 0, 5 * MiB);
	p = realloc(p, 9 * MiB + 1);
	ck_assert_hs_block(p, 9 * MiB + 1);
	ck_assert_pattern(p, 42, 0, 5 * MiB);
	hst_fill(p, 42, 5 * MiB, 9 * MiB + 1);
	p = realloc(p, 3 * MiB);
	ck_assert_hs_block(p, 3 * MiB);
	ck_assert_pattern(p, 42, 0, 3 * MiB);
	free(p);
}
END_TEST

/* ---- reallocarray --------------------------------------------------------- */

START_TEST(test_reallocarray)
{
	int *a = reallocarray(NULL, 25, sizeof(int));
	ck_assert_hs_block(a, 100);
	for (int i = 0; i < 25; i++)
		a[i] = i * 7;
	a = reallocarray(a, 100000, sizeof(int));
	ck_assert_hs_block(a, 400000);
	for (int i = 0; i < 25; i++)
		ck_assert_int_eq(a[i], i * 7);
	/* overflow: NULL, ENOMEM, block untouched */
	errno = 0;
	ck_assert_ptr_null(reallocarray(a, opaque(SIZE_MAX / 2), opaque(3)));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(reallocarray(a, opaque((size_t)1 << 33), opaque((size_t)1 << 31)));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(reallocarray(NULL, opaque(SIZE_MAX), opaque(SIZE_MAX)));
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_hs_block(a, 400000);
	for (int i = 0; i < 25; i++)
		ck_assert_int_eq(a[i], i * 7);
	/* no overflow but too big */
	errno = 0;
	ck_assert_ptr_null(reallocarray(a, opaque((size_t)1 << 25), opaque((size_t)1 << 25)));
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_int_eq(a[24], 24 * 7);
	/* shrink, then n * size == 0 frees (realloc(p, 0)) */
	a = reallocarray(a, 3, sizeof(int));
	ck_assert_hs_block(a, 12);
	ck_assert_int_eq(a[2], 14);
	void *stale = launder(a);
	ck_assert_ptr_null(reallocarray(a, 0, sizeof(int)));
	ck_assert_uint_eq(malloc_usable_size(stale), 0);
}
END_TEST

/* ---- aligned allocation --------------------------------------------------- */

typedef void *(*align_fn)(size_t align, size_t size);

static void *via_posix_memalign(size_t align, size_t size)
{
	void *p = (void *)0x1;
	int r = posix_memalign(&p, align, size);
	ck_assert_int_eq(r, 0);
	return p;
}

static void check_alignments(align_fn fn, const char *name)
{
	size_t aligns[24];
	size_t na = 0;
	for (size_t a = 16; a <= MiB; a <<= 1)
		aligns[na++] = a;
	aligns[na++] = 4 * MiB;
	for (size_t i = 0; i < na; i++) {
		size_t a = aligns[i];
		const size_t sizes[] = {0, 1, a / 2, a - 1, a, a + 1, 3 * a, 100, 5000};
		for (size_t k = 0; k < NELEM(sizes); k++) {
			size_t n = sizes[k];
			unsigned char *p = fn(a, n);
			ck_assert_msg(p != NULL, "%s(%zu, %zu) failed", name, a, n);
			ck_assert_msg((uintptr_t)p % a == 0, "%s(%zu, %zu) = %p misaligned", name,
				      a, n, (void *)p);
			ck_assert_uint_ge(malloc_usable_size(p), n);
			ck_assert_msg(malloc_usable_size(p) == hst_usable_for_aligned(n, a),
				      "%s(%zu, %zu): usable %zu, expected %zu", name, a, n,
				      malloc_usable_size(p), hst_usable_for_aligned(n, a));
			/* the whole usable size is the caller's to write */
			size_t u = malloc_usable_size(p);
			hst_fill(p, a + k, 0, u);
			ck_assert_pattern(p, a + k, 0, u);
			free(p);
		}
	}
}

START_TEST(test_memalign_alignments)
{
	check_alignments(memalign, "memalign");
}
END_TEST

START_TEST(test_aligned_alloc_alignments)
{
	check_alignments(aligned_alloc, "aligned_alloc");
}
END_TEST

START_TEST(test_posix_memalign_alignments)
{
	check_alignments(via_posix_memalign, "posix_memalign");
	/* sizeof(void *) is the smallest valid alignment */
	void *p = NULL;
	ck_assert_int_eq(posix_memalign(&p, sizeof(void *), 10), 0);
	ck_assert_hs_block(p, 10);
	free(p);
}
END_TEST

START_TEST(test_memalign_many_live_aligned_blocks)
{
	/* alignment must hold for every block of a slab, not only the first */
	static const size_t aligns[] = {32, 64, 128, 256, 512, 1024, 2048};
	for (size_t i = 0; i < NELEM(aligns); i++) {
		enum { N = 200 };
		void *v[N];
		for (int k = 0; k < N; k++) {
			v[k] = memalign(aligns[i], (size_t)k % 300 + 1);
			ck_assert_uint_eq((uintptr_t)v[k] % aligns[i], 0);
			memset(v[k], k, (size_t)k % 300 + 1);
		}
		for (int k = 0; k < N; k++)
			free(v[k]);
	}
}
END_TEST

START_TEST(test_memalign_non_power_of_two_rounds_up)
{
	/* glibc's memalign rounds a non-power-of-two alignment up to the next
	 * power of two; below 16 (including 0) it is plain malloc. */
	static const struct { size_t ask, got; } cases[] = {
		{0, 16}, {1, 16}, {3, 16}, {12, 16}, {17, 32}, {24, 32}, {48, 64}, {100, 128},
		{1000, 1024}, {3000, 4096}, {4097, 8192}, {100000, 131072}, {MiB + 1, 2 * MiB},
		{3 * MiB, 4 * MiB},
	};
	for (size_t i = 0; i < NELEM(cases); i++) {
		for (size_t n = 1; n <= 4097; n += 2048) {
			void *p = memalign(cases[i].ask, n);
			ck_assert_ptr_nonnull(p);
			ck_assert_msg((uintptr_t)p % cases[i].got == 0,
				      "memalign(%zu, %zu) = %p, not %zu-aligned", cases[i].ask, n,
				      p, cases[i].got);
			ck_assert_uint_eq(malloc_usable_size(p),
					  hst_usable_for_aligned(n, cases[i].got));
			memset(p, 1, n);
			free(p);
		}
	}
	/* glibc 2.36's aligned_alloc is memalign: the same rounding */
	for (size_t i = 0; i < NELEM(cases); i++) {
		void *p = aligned_alloc(cases[i].ask, 100);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % cases[i].got, 0);
		free(p);
	}
}
END_TEST

START_TEST(test_memalign_errors)
{
	/* glibc: alignment above SIZE_MAX / 2 + 1 is EINVAL */
	errno = 0;
	ck_assert_ptr_null(memalign(opaque(SIZE_MAX / 2 + 2), 1));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(memalign(opaque(SIZE_MAX), 1));
	ck_assert_int_eq(errno, EINVAL);
	/* valid but unsatisfiable: ENOMEM */
	errno = 0;
	ck_assert_ptr_null(memalign(opaque(SIZE_MAX / 2 + 1), 1));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(memalign(opaque((size_t)1 << 50), 1));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(memalign(64, opaque((size_t)1 << 50)));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(memalign(64, opaque(SIZE_MAX)));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(aligned_alloc(4096, opaque(SIZE_MAX - 4096)));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(aligned_alloc(4 * MiB, opaque((size_t)1 << 50)));
	ck_assert_int_eq(errno, ENOMEM);
}
END_TEST

START_TEST(test_posix_memalign_einval)
{
	static const size_t bad[] = {0, 1, 2, 3, 4, 12, 24, 48, 100, 4097, SIZE_MAX, SIZE_MAX / 2 + 2};
	for (size_t i = 0; i < NELEM(bad); i++) {
		void *p = (void *)0xdeadbeef;
		errno = 31337;
		int r = posix_memalign(&p, opaque(bad[i]), 16);
		ck_assert_msg(r == EINVAL, "posix_memalign(align %zu) = %d", bad[i], r);
		ck_assert_ptr_eq(p, (void *)0xdeadbeef);
		ck_assert_int_eq(errno, 31337);
	}
}
END_TEST

START_TEST(test_posix_memalign_enomem)
{
	static const struct { size_t align, size; } cases[] = {
		{16, SIZE_MAX}, {64, (size_t)1 << 50}, {4096, SIZE_MAX / 2 + 1},
		{(size_t)1 << 50, 1}, {SIZE_MAX / 2 + 1, 16},
	};
	for (size_t i = 0; i < NELEM(cases); i++) {
		void *p = (void *)0xfeedf00d;
		errno = 4711;
		int r = posix_memalign(&p, opaque(cases[i].align), opaque(cases[i].size));
		ck_assert_msg(r == ENOMEM, "posix_memalign(%zu, %zu) = %d", cases[i].align,
			      cases[i].size, r);
		ck_assert_ptr_eq(p, (void *)0xfeedf00d);
		ck_assert_int_eq(errno, 4711);
	}
	int (*pm)(void **, size_t, size_t) = (int (*)(void **, size_t, size_t))sym("__posix_memalign");
	void *p = (void *)0x1234;
	errno = 5;
	ck_assert_int_eq(pm(&p, 24, 8), EINVAL);
	ck_assert_ptr_eq(p, (void *)0x1234);
	ck_assert_int_eq(pm(&p, 256, 8), 0);
	ck_assert_int_eq(errno, 5);
	ck_assert_uint_eq((uintptr_t)p % 256, 0);
	free(p);
}
END_TEST

START_TEST(test_valloc)
{
	static const size_t sizes[] = {0, 1, 100, 4095, 4096, 4097, 3 * KiB, 64 * KiB, MiB, 3 * MiB};
	for (size_t i = 0; i < NELEM(sizes); i++) {
		void *p = valloc(sizes[i]);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % 4096, 0);
		ck_assert_uint_eq(malloc_usable_size(p), hst_usable_for_aligned(sizes[i], 4096));
		memset(p, 2, sizes[i]);
		free(p);
	}
	errno = 0;
	ck_assert_ptr_null(valloc(opaque(SIZE_MAX)));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(valloc(opaque((size_t)1 << 50)));
	ck_assert_int_eq(errno, ENOMEM);
}
END_TEST

START_TEST(test_pvalloc)
{
	static const struct { size_t ask, rounded; } cases[] = {
		{0, 4096}, {1, 4096}, {4095, 4096}, {4096, 4096}, {4097, 8192},
		{64 * KiB + 1, 68 * KiB}, {MiB, MiB}, {MiB + 1, MiB + 4096}, {3 * MiB, 3 * MiB},
	};
	for (size_t i = 0; i < NELEM(cases); i++) {
		void *p = pvalloc(cases[i].ask);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % 4096, 0);
		ck_assert_uint_ge(malloc_usable_size(p), cases[i].rounded);
		ck_assert_uint_eq(malloc_usable_size(p),
				  hst_usable_for_aligned(cases[i].rounded, 4096));
		memset(p, 3, cases[i].rounded); /* the rounded size is the caller's */
		free(p);
	}
	static const unsigned long long huge[] = {SIZE_MAX, SIZE_MAX - 4095, SIZE_MAX - 4096, 1ull << 50};
	for (size_t i = 0; i < NELEM(huge); i++) {
		errno = 0;
		ck_assert_ptr_null(pvalloc(opaque((size_t)huge[i])));
		ck_assert_int_eq(errno, ENOMEM);
	}
}
END_TEST

/* ---- glibc's __libc_* names reach the same heap ---------------------------- */

START_TEST(test_libc_aliases_share_the_heap)
{
	void *(*lmalloc)(size_t) = (void *(*)(size_t))sym("__libc_malloc");
	void (*lfree)(void *) = (void (*)(void *))sym("__libc_free");
	void *(*lcalloc)(size_t, size_t) = (void *(*)(size_t, size_t))sym("__libc_calloc");
	void *(*lrealloc)(void *, size_t) = (void *(*)(void *, size_t))sym("__libc_realloc");
	void *(*lmemalign)(size_t, size_t) = (void *(*)(size_t, size_t))sym("__libc_memalign");
	void *(*lvalloc)(size_t) = (void *(*)(size_t))sym("__libc_valloc");
	void *(*lpvalloc)(size_t) = (void *(*)(size_t))sym("__libc_pvalloc");
	void *(*lreallocarray)(void *, size_t, size_t) =
		(void *(*)(void *, size_t, size_t))sym("__libc_reallocarray");

	for (size_t i = 0; i < NELEM(tier_sizes); i++) {
		size_t n = tier_sizes[i];
		/* malloc → __libc_free */
		void *p = malloc(n);
		ck_assert_hs_block(p, n);
		void *stale = launder(p);
		lfree(p);
		ck_assert_uint_eq(malloc_usable_size(stale), 0);
		/* __libc_malloc → free */
		p = lmalloc(n);
		ck_assert_hs_block(p, n);
		hst_fill(p, n, 0, n);
		/* __libc_realloc of it, then realloc back */
		p = lrealloc(p, n * 2 + 1);
		ck_assert_hs_block(p, n * 2 + 1);
		ck_assert_pattern(p, n, 0, n);
		p = realloc(p, n);
		ck_assert_pattern(p, n, 0, n);
		stale = launder(p);
		free(p);
		ck_assert_uint_eq(malloc_usable_size(stale), 0);
		/* __libc_calloc: zeroed, freed by free */
		unsigned char *c = malloc(n);
		memset(c, 0xEE, n);
		free(c);
		c = lcalloc(1, n);
		ck_assert_hs_block(c, n);
		ck_assert_zeroed(c, n);
		lfree(c);
		/* __libc_memalign → free */
		p = lmemalign(4096, n);
		ck_assert_uint_eq((uintptr_t)p % 4096, 0);
		ck_assert_uint_eq(malloc_usable_size(p), hst_usable_for_aligned(n, 4096));
		stale = launder(p);
		free(p);
		ck_assert_uint_eq(malloc_usable_size(stale), 0);
		/* __libc_valloc / __libc_pvalloc → __libc_free */
		p = lvalloc(n);
		ck_assert_uint_eq((uintptr_t)p % 4096, 0);
		ck_assert_uint_eq(malloc_usable_size(p), hst_usable_for_aligned(n, 4096));
		lfree(p);
		p = lpvalloc(n);
		ck_assert_uint_eq(malloc_usable_size(p),
				  hst_usable_for_aligned(hst_round_up(n, 4096), 4096));
		lfree(p);
		/* __libc_reallocarray */
		p = lreallocarray(NULL, n, 1);
		ck_assert_hs_block(p, n);
		errno = 0;
		ck_assert_ptr_null(lreallocarray(p, opaque(SIZE_MAX), opaque(2)));
		ck_assert_int_eq(errno, ENOMEM);
		free(p);
	}
	/* __libc_realloc(NULL, n) and (p, 0) */
	void *p = lrealloc(NULL, 100);
	ck_assert_hs_block(p, 100);
	void *stale = launder(p);
	ck_assert_ptr_null(lrealloc(p, 0));
	ck_assert_uint_eq(malloc_usable_size(stale), 0);
	errno = 0;
	ck_assert_ptr_null(lcalloc(opaque(SIZE_MAX), opaque(16)));
	ck_assert_int_eq(errno, ENOMEM);
}
END_TEST

/* ---- control and statistics ------------------------------------------------ */

/* Accepted as glibc accepts them (heapscope has no tunables there), but a
 * fastbin limit outside glibc's range (0 to 80 * sizeof(size_t) / 4) is
 * refused as glibc refuses it. */
START_TEST(test_mallopt_answers_as_glibc)
{
	static const int params[] = {M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD,
				     M_MMAP_MAX, M_CHECK_ACTION, M_PERTURB, M_ARENA_TEST,
				     M_ARENA_MAX};
	for (size_t i = 0; i < NELEM(params); i++) {
		ck_assert_int_eq(mallopt(params[i], 0), 1);
		ck_assert_int_eq(mallopt(params[i], 1 << 20), 1);
	}
	ck_assert_int_eq(mallopt(M_MXFAST, 0), 1);
	ck_assert_int_eq(mallopt(M_MXFAST, (int)(80 * sizeof(size_t) / 4)), 1);
	ck_assert_int_eq(mallopt(M_MXFAST, (int)(80 * sizeof(size_t) / 4) + 1), 0);
	ck_assert_int_eq(mallopt(M_MXFAST, -1), 0);
	ck_assert_int_eq(mallopt(M_MXFAST, 1 << 20), 0);
	void *p = malloc(100);
	ck_assert_hs_block(p, 100);
	free(p);
}
END_TEST

START_TEST(test_mallinfo2_tracks_use)
{
	enum { N = 16384 };
	static void *v[N];
	struct mallinfo2 m0 = mallinfo2();
	ck_assert_uint_ge(m0.arena, m0.uordblks);
	ck_assert_uint_eq(m0.usmblks, 0);
	for (int i = 0; i < N; i++) {
		v[i] = malloc(64);
		ck_assert_ptr_nonnull(v[i]);
	}
	struct mallinfo2 m1 = mallinfo2();
	/* 16384 × 64 B = exactly 1 MiB more in use */
	ck_assert_uint_eq(m1.uordblks - m0.uordblks, MiB);
	ck_assert_uint_ge(m1.arena, m1.uordblks);
	ck_assert_uint_eq(m1.fordblks, m1.arena - m1.uordblks);
	ck_assert_uint_eq(m1.hblks, m0.hblks);
	for (int i = 0; i < N; i++)
		free(v[i]);
	struct mallinfo2 m2 = mallinfo2();
	ck_assert_uint_eq(m2.uordblks, m0.uordblks);

	/* a buddy block counts its whole run of pages */
	void *b = malloc(40000);
	struct mallinfo2 m3 = mallinfo2();
	ck_assert_uint_eq(m3.uordblks - m2.uordblks, 64 * KiB);
	free(b);
	/* a large block is counted in hblks / hblkhd, not uordblks */
	void *l = malloc(2 * MiB + 1);
	struct mallinfo2 m4 = mallinfo2();
	ck_assert_uint_eq(m4.hblks, m2.hblks + 1);
	ck_assert_uint_eq(m4.hblkhd, m2.hblkhd + 2 * MiB + 4096);
	ck_assert_uint_eq(m4.uordblks, m2.uordblks);
	free(l);
	struct mallinfo2 m5 = mallinfo2();
	ck_assert_uint_eq(m5.hblks, m2.hblks);
	ck_assert_uint_eq(m5.hblkhd, m2.hblkhd);
	ck_assert_uint_eq(m5.uordblks, m2.uordblks);
}
END_TEST

START_TEST(test_mallinfo_matches_mallinfo2)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	void *p = malloc(3000);
	struct mallinfo2 m2 = mallinfo2();
	struct mallinfo m = mallinfo();
	ck_assert_int_eq(m.uordblks, (int)m2.uordblks);
	ck_assert_int_eq(m.arena, (int)m2.arena);
	ck_assert_int_eq(m.hblks, (int)m2.hblks);
	ck_assert_int_eq(m.hblkhd, (int)m2.hblkhd);
	ck_assert_int_eq(m.fordblks, (int)m2.fordblks);
	ck_assert_int_eq(m.usmblks, 0);
	free(p);
#pragma GCC diagnostic pop
}
END_TEST

START_TEST(test_malloc_trim)
{
	enum { NS = 8192, NB = 64 };
	static void *s[NS];
	void *b[NB];
	for (int i = 0; i < NS; i++) {
		s[i] = malloc(1000);
		memset(s[i], 0x42, 1000);
	}
	for (int i = 0; i < NB; i++) {
		b[i] = malloc(64 * KiB);
		memset(b[i], 0x42, 64 * KiB);
	}
	for (int i = 0; i < NS; i++)
		free(s[i]);
	for (int i = 0; i < NB; i++)
		free(b[i]);
	ck_assert_int_eq(malloc_trim(0), 1); /* dirty free chunks went back */
	ck_assert_int_eq(malloc_trim(0), 0); /* nothing left to give back */
	ck_assert_int_eq(malloc_trim(1 << 20), 0);
	/* still fully usable, and what comes back reads as zero to calloc */
	for (size_t i = 0; i < NELEM(edge_sizes); i++) {
		unsigned char *p = calloc(1, edge_sizes[i]);
		ck_assert_hs_block(p, edge_sizes[i]);
		ck_assert_zeroed(p, edge_sizes[i]);
		hst_fill(p, i, 0, edge_sizes[i]);
		ck_assert_pattern(p, i, 0, edge_sizes[i]);
		free(p);
	}
	for (int i = 0; i < NS; i++) {
		s[i] = malloc(1000);
		ck_assert_hs_block(s[i], 1000);
		hst_fill(s[i], (uint64_t)i, 0, 1000);
	}
	for (int i = 0; i < NS; i++) {
		ck_assert_pattern(s[i], (uint64_t)i, 0, 1000);
		free(s[i]);
	}
	/* trim while blocks are live must not touch them */
	void *keep = malloc(64 * KiB);
	hst_fill(keep, 9, 0, 64 * KiB);
	malloc_trim(0);
	ck_assert_pattern(keep, 9, 0, 64 * KiB);
	free(keep);
}
END_TEST

static void call_malloc_stats(void *arg)
{
	(void)arg;
	malloc_stats();
}

static unsigned long long stat_value(const char *text, const char *key)
{
	const char *k = strstr(text, key);
	ck_assert_msg(k != NULL, "'%s' missing from malloc_stats output", key);
	return strtoull(k + strlen(key), NULL, 10);
}

START_TEST(test_malloc_stats_prints_to_stderr)
{
	char *out, *err;
	capture(call_malloc_stats, NULL, &out, &err);
	ck_assert_str_eq(out, "");
	ck_assert_msg(strncmp(err, "heapscope allocator statistics\n", 31) == 0, "got: %s", err);
	ck_assert_uint_gt(strlen(err), 100);
	ck_assert_int_eq(err[strlen(err) - 1], '\n');
	unsigned long long blocks0 = stat_value(err, "large blocks = ");
	ck_assert_ptr_nonnull(strstr(err, "heap committed bytes = "));
	ck_assert_ptr_nonnull(strstr(err, "in use bytes = "));
	free(out);
	free(err);

	void *l = malloc(3 * MiB);
	capture(call_malloc_stats, NULL, &out, &err);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(stat_value(err, "large blocks = "), blocks0 + 1);
	free(out);
	free(err);
	free(l);
}
END_TEST

START_TEST(test_malloc_info)
{
	FILE *f = tmpfile();
	ck_assert_ptr_nonnull(f);
	/* as glibc: the error is the result, errno is left alone */
	errno = 0;
	ck_assert_int_eq(malloc_info(1, f), EINVAL);
	ck_assert_int_eq(errno, 0);
	ck_assert_int_eq(ftell(f), 0);
	void *p = malloc(100);
	ck_assert_int_eq(malloc_info(0, f), 0);
	char *s = slurp(f);
	fclose(f);
	ck_assert_msg(strncmp(s, "<malloc version=\"heapscope-1\">\n", 31) == 0, "got: %s", s);
	size_t n = strlen(s);
	ck_assert_uint_gt(n, 10);
	ck_assert_str_eq(s + n - 10, "</malloc>\n");
	ck_assert_ptr_nonnull(strstr(s, "<size from=\"112\" to=\"112\""));
	free(s);
	free(p);
}
END_TEST

/* ---- suite --------------------------------------------------------------- */

static Suite *api_suite(void)
{
	Suite *s = suite_create("heapscope-api");
	struct {
		const char *name;
		const TTest *tests[16];
	} cases[] = {
		{"preload",
		 {test_every_export_resolves_to_heapscope, test_usable_size_zero_for_foreign_memory,
		  test_usable_size_zero_after_free}},
		{"malloc",
		 {test_malloc_zero_unique, test_malloc_edge_sizes, test_usable_size_at_least_requested,
		  test_malloc_distinct_blocks_do_not_overlap, test_malloc_huge_fails_with_enomem,
		  test_errno_kept_when_heap_exhausted}},
		{"free",
		 {test_free_null, test_cfree_releases, test_free_preserves_errno,
		  test_bad_free_preserves_errno}},
		{"calloc",
		 {test_calloc_overflow, test_calloc_zero_sizes, test_calloc_zeroes_reused_blocks,
		  test_calloc_zeroes_merged_dirty_buddies}},
		{"realloc",
		 {test_realloc_null_is_malloc, test_realloc_zero_frees,
		  test_realloc_preserves_contents_across_tiers, test_realloc_chain_up_and_down,
		  test_realloc_within_class_stays_in_place, test_realloc_failure_keeps_block,
		  test_realloc_of_aligned_blocks, test_reallocarray}},
		{"aligned",
		 {test_memalign_alignments, test_aligned_alloc_alignments,
		  test_posix_memalign_alignments, test_memalign_many_live_aligned_blocks,
		  test_memalign_non_power_of_two_rounds_up, test_memalign_errors,
		  test_posix_memalign_einval, test_posix_memalign_enomem, test_valloc, test_pvalloc}},
		{"libc_aliases", {test_libc_aliases_share_the_heap}},
		{"control",
		 {test_mallopt_answers_as_glibc, test_mallinfo2_tracks_use, test_mallinfo_matches_mallinfo2,
		  test_malloc_trim, test_malloc_stats_prints_to_stderr, test_malloc_info}},
	};
	for (size_t i = 0; i < NELEM(cases); i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_set_timeout(tc, 60);
		for (size_t k = 0; k < NELEM(cases[i].tests) && cases[i].tests[k]; k++)
			tcase_add_test(tc, cases[i].tests[k]);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(void)
{
	hst_require_preload();
	SRunner *sr = srunner_create(api_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
