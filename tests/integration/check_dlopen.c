/* check_dlopen.c — Check suite for heapscope's dlopen under LD_PRELOAD: a
 * library loaded with RTLD_DEEPBIND must still allocate from heapscope, so
 * blocks cross between it and the program in both directions; the other
 * dlopen behaviours (NULL, errors, RTLD_NOLOAD, search through the
 * program's RUNPATH) must be those of glibc's dlopen.
 * HS_PLUGIN_PATH / HS_PLUGIN_NAME come from CMake; the executable's RUNPATH
 * holds the plugin's directory.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hs_testutil.h"

#define KiB HST_KIB
#define MiB HST_MIB
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct plugin {
	void *handle;
	void *(*malloc_)(size_t);
	void *(*calloc_)(size_t, size_t);
	void *(*realloc_)(void *, size_t);
	void (*free_)(void *);
	void *(*malloc_address)(void);
	void *(*free_address)(void);
};

static void *launder(void *p)
{
	__asm__ volatile("" : "+r"(p));
	return p;
}

static void *must_sym(void *h, const char *name)
{
	void *f = dlsym(h, name);
	ck_assert_msg(f != NULL, "dlsym(%s): %s", name, dlerror());
	return f;
}

static struct plugin load(const char *file, int mode)
{
	struct plugin p;
	p.handle = dlopen(file, mode);
	ck_assert_msg(p.handle != NULL, "dlopen(%s, %#x): %s", file, mode, dlerror());
	p.malloc_ = (void *(*)(size_t))must_sym(p.handle, "plugin_malloc");
	p.calloc_ = (void *(*)(size_t, size_t))must_sym(p.handle, "plugin_calloc");
	p.realloc_ = (void *(*)(void *, size_t))must_sym(p.handle, "plugin_realloc");
	p.free_ = (void (*)(void *))must_sym(p.handle, "plugin_free");
	p.malloc_address = (void *(*)(void))must_sym(p.handle, "plugin_malloc_address");
	p.free_address = (void *(*)(void))must_sym(p.handle, "plugin_free_address");
	return p;
}

static void unload(struct plugin *p)
{
	ck_assert_int_eq(dlclose(p->handle), 0);
}

#define ck_assert_hs_block(p, size)                                                \
	do {                                                                       \
		ck_assert_ptr_nonnull(p);                                          \
		ck_assert_uint_eq(malloc_usable_size(p), hst_usable_for(size));    \
	} while (0)

static const size_t tier_sizes[] = {0, 16, 3 * KiB, 64 * KiB, 2 * MiB};

/* The plugin's malloc/free are heapscope's, and blocks cross both ways. */
static void exercise(struct plugin *pl)
{
	ck_assert_ptr_eq(pl->malloc_address(), dlsym(RTLD_DEFAULT, "malloc"));
	ck_assert_ptr_eq(pl->free_address(), dlsym(RTLD_DEFAULT, "free"));
	Dl_info info;
	ck_assert_int_ne(dladdr(pl->malloc_address(), &info), 0);
	ck_assert_ptr_nonnull(strstr(info.dli_fname, "libheapscope.so"));

	for (size_t i = 0; i < NELEM(tier_sizes); i++) {
		size_t n = tier_sizes[i];
		/* plugin allocates, program frees */
		unsigned char *p = pl->malloc_(n);
		ck_assert_hs_block(p, n);
		hst_fill(p, i, 0, n);
		void *stale = launder(p);
		free(p);
		ck_assert_uint_eq(malloc_usable_size(stale), 0);
		/* program allocates, plugin frees */
		p = malloc(n);
		ck_assert_hs_block(p, n);
		stale = launder(p);
		pl->free_(p);
		ck_assert_uint_eq(malloc_usable_size(stale), 0);
		/* plugin reallocs a program block, program reallocs it back */
		p = malloc(n);
		hst_fill(p, i + 100, 0, n);
		p = pl->realloc_(p, 2 * n + 1);
		ck_assert_hs_block(p, 2 * n + 1);
		ck_assert_uint_eq(hst_check(p, i + 100, 0, n), SIZE_MAX);
		p = realloc(p, n / 2);
		ck_assert_uint_eq(hst_check(p, i + 100, 0, n / 2), SIZE_MAX);
		pl->free_(p);
		/* plugin calloc, program free */
		p = malloc(n);
		memset(p, 0xAB, n);
		free(p);
		p = pl->calloc_(1, n);
		ck_assert_hs_block(p, n);
		ck_assert_uint_eq(hst_first_nonzero(p, n), SIZE_MAX);
		free(p);
	}
}

START_TEST(test_deepbind_plugin_uses_heapscope)
{
	struct plugin pl = load(HS_PLUGIN_PATH, RTLD_NOW | RTLD_DEEPBIND);
	exercise(&pl);
	unload(&pl);
}
END_TEST

START_TEST(test_deepbind_lazy_local_and_global)
{
	static const int modes[] = {
		RTLD_LAZY | RTLD_DEEPBIND, RTLD_NOW | RTLD_DEEPBIND | RTLD_GLOBAL,
		RTLD_LAZY | RTLD_DEEPBIND | RTLD_LOCAL,
	};
	for (size_t i = 0; i < NELEM(modes); i++) {
		struct plugin pl = load(HS_PLUGIN_PATH, modes[i]);
		exercise(&pl);
		unload(&pl);
	}
}
END_TEST

START_TEST(test_blocks_outlive_dlclose)
{
	enum { ROUNDS = 10, N = 50 };
	void *keep[ROUNDS][N];
	for (int r = 0; r < ROUNDS; r++) {
		struct plugin pl = load(HS_PLUGIN_PATH, RTLD_NOW | RTLD_DEEPBIND);
		for (int i = 0; i < N; i++) {
			size_t n = (size_t)(i * 997) % (80 * KiB);
			keep[r][i] = pl.malloc_(n);
			ck_assert_hs_block(keep[r][i], n);
			hst_fill(keep[r][i], (uint64_t)(r * N + i), 0, n);
		}
		unload(&pl);
	}
	for (int r = 0; r < ROUNDS; r++)
		for (int i = 0; i < N; i++) {
			size_t n = (size_t)(i * 997) % (80 * KiB);
			ck_assert_uint_eq(hst_check(keep[r][i], (uint64_t)(r * N + i), 0, n), SIZE_MAX);
			free(keep[r][i]);
		}
}
END_TEST

START_TEST(test_plain_dlopen)
{
	struct plugin pl = load(HS_PLUGIN_PATH, RTLD_NOW);
	exercise(&pl);
	unload(&pl);
}
END_TEST

START_TEST(test_dlopen_null_is_the_program)
{
	void *h = dlopen(NULL, RTLD_NOW);
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_eq(dlsym(h, "malloc"), dlsym(RTLD_DEFAULT, "malloc"));
	ck_assert_int_eq(dlclose(h), 0);
}
END_TEST

START_TEST(test_dlopen_missing_file)
{
	dlerror();
	ck_assert_ptr_null(dlopen("/nonexistent/libhs-no-such-plugin.so", RTLD_NOW));
	const char *e = dlerror();
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(strstr(e, "libhs-no-such-plugin.so"));
	ck_assert_ptr_null(dlopen("libhs-no-such-plugin.so", RTLD_NOW | RTLD_DEEPBIND));
	ck_assert_ptr_nonnull(dlerror());
	ck_assert_ptr_null(dlerror()); /* reading it cleared it */
}
END_TEST

START_TEST(test_rtld_noload_passes_through)
{
	ck_assert_ptr_null(dlopen(HS_PLUGIN_PATH, RTLD_NOW | RTLD_NOLOAD));
	dlerror();
	void *h = dlopen(HS_PLUGIN_PATH, RTLD_NOW | RTLD_DEEPBIND);
	ck_assert_ptr_nonnull(h);
	void *again = dlopen(HS_PLUGIN_PATH, RTLD_NOW | RTLD_NOLOAD);
	ck_assert_ptr_eq(again, h);
	ck_assert_int_eq(dlclose(again), 0);
	ck_assert_int_eq(dlclose(h), 0);
}
END_TEST

START_TEST(test_bare_name_found_through_program_runpath)
{
	/* glibc searches the *calling* object's RUNPATH for a name without a
	 * slash; an interposed dlopen must not make heapscope the caller. */
	struct plugin pl = load(HS_PLUGIN_NAME, RTLD_NOW);
	exercise(&pl);
	unload(&pl);
	pl = load(HS_PLUGIN_NAME, RTLD_NOW | RTLD_DEEPBIND);
	exercise(&pl);
	unload(&pl);
}
END_TEST

int main(void)
{
	hst_require_preload();
	Suite *s = suite_create("heapscope-dlopen");
	TCase *tc = tcase_create("dlopen");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_deepbind_plugin_uses_heapscope);
	tcase_add_test(tc, test_deepbind_lazy_local_and_global);
	tcase_add_test(tc, test_blocks_outlive_dlclose);
	tcase_add_test(tc, test_plain_dlopen);
	tcase_add_test(tc, test_dlopen_null_is_the_program);
	tcase_add_test(tc, test_dlopen_missing_file);
	tcase_add_test(tc, test_rtld_noload_passes_through);
	tcase_add_test(tc, test_bare_name_found_through_program_runpath);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
