/* interpose.c — the exported surface of libheapscope.so: the C malloc API,
 * glibc's __libc_* aliases and the C++ operators (dlopen.c has dlopen).
 * Thin: each entry checks the API's own argument rules and calls alloc.c
 * with its own frame. Nothing else in the library is visible (built with
 * -fvisibility=hidden).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <heapscope/trace_format.h>

#include "alloc.h"
#include "buddy.h"
#include "slab.h"
#include "stats.h"
#include "tcache.h"

/* This entry point's own frame, where its caller's return address, stack
 * pointer and frame pointer are: the stack capture starts from them
 * (alloc.h). Valid because this file is built with frame pointers and
 * without sibling calls (CMakeLists.txt): the frame stays while alloc.c
 * runs. */
#define HS_CALLER __builtin_frame_address(0)

/* ---- C ---------------------------------------------------------------- */

HS_EXPORT void *malloc(size_t size)
{
	return hs_alloc_at(size, HS_MIN_ALIGN, HS_API_MALLOC, 0, HS_CALLER);
}

HS_EXPORT void free(void *p)
{
	hs_free_at(p, HS_API_FREE, HS_CALLER);
}

HS_EXPORT void cfree(void *p)
{
	hs_free_at(p, HS_API_FREE, HS_CALLER);
}

HS_EXPORT void *calloc(size_t n, size_t size)
{
	size_t total;
	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	return hs_alloc_at(total, HS_MIN_ALIGN, HS_API_CALLOC, 1, HS_CALLER);
}

HS_EXPORT void *realloc(void *p, size_t size)
{
	return hs_realloc_at(p, size, HS_API_REALLOC, HS_CALLER);
}

HS_EXPORT void *reallocarray(void *p, size_t n, size_t size)
{
	size_t total;
	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	return hs_realloc_at(p, total, HS_API_REALLOC, HS_CALLER);
}

/* glibc's memalign rounds a non-power-of-two alignment up to the next
 * power of two; aligned_alloc shares that behaviour in glibc 2.36. */
static void *memalign_api(size_t align, size_t size, unsigned api, const void *frame)
{
	if (align > SIZE_MAX / 2 + 1) {
		errno = EINVAL;
		return NULL;
	}
	if (align < HS_MIN_ALIGN)
		align = HS_MIN_ALIGN;
	if (!hs_is_pow2(align)) {
		size_t a = HS_MIN_ALIGN;
		while (a < align)
			a <<= 1;
		align = a;
	}
	return hs_alloc_at(size, align, api, 0, frame);
}

HS_EXPORT void *memalign(size_t align, size_t size)
{
	return memalign_api(align, size, HS_API_MEMALIGN, HS_CALLER);
}

HS_EXPORT void *aligned_alloc(size_t align, size_t size)
{
	return memalign_api(align, size, HS_API_ALIGNED_ALLOC, HS_CALLER);
}

HS_EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
	if (!hs_is_pow2(align) || align % sizeof(void *) != 0)
		return EINVAL;
	int saved = errno;
	void *p = memalign_api(align, size, HS_API_POSIX_MEMALIGN, HS_CALLER);
	errno = saved; /* posix_memalign reports through its result only */
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

HS_EXPORT void *valloc(size_t size)
{
	return hs_alloc_at(size, HS_PAGE_SIZE, HS_API_VALLOC, 0, HS_CALLER);
}

HS_EXPORT void *pvalloc(size_t size)
{
	size_t rounded = hs_align_up(size ? size : 1, HS_PAGE_SIZE);
	if (rounded < size) {
		errno = ENOMEM;
		return NULL;
	}
	return hs_alloc_at(rounded, HS_PAGE_SIZE, HS_API_PVALLOC, 0, HS_CALLER);
}

HS_EXPORT size_t malloc_usable_size(void *p)
{
	return hs_usable_size(p);
}


/* The entry points glibc exports for callers that want "the C library's
 * malloc" by name: they must reach the same heap. */
HS_EXPORT void *__libc_malloc(size_t size) HS_ALIAS(malloc);
HS_EXPORT void __libc_free(void *p) HS_ALIAS(free);
HS_EXPORT void *__libc_calloc(size_t n, size_t size) HS_ALIAS(calloc);
HS_EXPORT void *__libc_realloc(void *p, size_t size) HS_ALIAS(realloc);
HS_EXPORT void *__libc_memalign(size_t align, size_t size) HS_ALIAS(memalign);
HS_EXPORT void *__libc_valloc(size_t size) HS_ALIAS(valloc);
HS_EXPORT void *__libc_pvalloc(size_t size) HS_ALIAS(pvalloc);
HS_EXPORT void *__libc_reallocarray(void *p, size_t n, size_t size)
	HS_ALIAS(reallocarray);
HS_EXPORT int __posix_memalign(void **out, size_t align, size_t size)
	HS_ALIAS(posix_memalign);

/* ---- glibc's malloc control and statistics ---------------------------- */

HS_EXPORT int mallopt(int param, int value)
{
	/* accepted, as glibc accepts them, though heapscope's allocator has
	 * no tunables there; but glibc refuses a fastbin limit out of its
	 * range (0 to 80 * sizeof(size_t) / 4 bytes) */
	if (param == M_MXFAST && (value < 0 || (size_t)value > 80 * sizeof(size_t) / 4))
		return 0;
	return 1;
}

HS_EXPORT int malloc_trim(size_t pad)
{
	(void)pad;
	hs_ensure_init();
	if (hs_tl_cache)
		hs_tcache_drain(hs_tl_cache);
	size_t released = hs_slab_trim();
	released += hs_buddy_trim();
	return released > 0;
}

HS_EXPORT struct mallinfo2 mallinfo2(void)
{
	struct mallinfo2 mi;
	memset(&mi, 0, sizeof mi);
	hs_ensure_init();
	struct hs_stats s;
	hs_stats_collect(&s);
	mi.arena = s.buddy.committed;
	mi.hblks = s.large.blocks;
	mi.hblkhd = s.large.mapped;
	mi.uordblks = s.in_use - s.large.mapped;
	mi.fordblks = mi.arena > mi.uordblks ? mi.arena - mi.uordblks : 0;
	mi.keepcost = s.buddy.zero_free;
	mi.usmblks = 0; /* glibc: always 0 */
	return mi;
}

HS_EXPORT struct mallinfo mallinfo(void)
{
	struct mallinfo2 m2 = mallinfo2();
	struct mallinfo mi;
	memset(&mi, 0, sizeof mi);
	mi.arena = (int)m2.arena;
	mi.hblks = (int)m2.hblks;
	mi.hblkhd = (int)m2.hblkhd;
	mi.uordblks = (int)m2.uordblks;
	mi.fordblks = (int)m2.fordblks;
	mi.keepcost = (int)m2.keepcost;
	return mi;
}

HS_EXPORT void malloc_stats(void)
{
	hs_ensure_init();
	hs_stats_print(STDERR_FILENO);
}

HS_EXPORT int malloc_info(int options, FILE *fp)
{
	if (options != 0)
		return EINVAL; /* as glibc: the error as the result, errno left alone */
	hs_ensure_init();
	struct hs_stats s;
	hs_stats_collect(&s);
	fprintf(fp, "<malloc version=\"heapscope-1\">\n<heap nr=\"0\">\n<sizes>\n");
	for (unsigned i = 0; i < HS_SLAB_CLASSES; i++)
		if (s.cls[i].live > 0)
			fprintf(fp, "<size from=\"%u\" to=\"%u\" total=\"%lld\" count=\"%lld\"/>\n",
				s.cls[i].size, s.cls[i].size,
				(long long)(s.cls[i].live * s.cls[i].size), (long long)s.cls[i].live);
	fprintf(fp, "</sizes>\n<system type=\"current\" size=\"%llu\"/>\n</heap>\n"
		    "<total type=\"mmap\" count=\"%llu\" size=\"%llu\"/>\n"
		    "<system type=\"current\" size=\"%llu\"/>\n</malloc>\n",
		(unsigned long long)s.buddy.committed, (unsigned long long)s.large.blocks,
		(unsigned long long)s.large.mapped,
		(unsigned long long)(s.buddy.committed + s.large.mapped));
	return 0;
}

/* ---- C++ ---------------------------------------------------------------- */

/* operator new must call the new-handler until it succeeds, and throw
 * std::bad_alloc when there is none. Both live in libstdc++, which is loaded
 * whenever these operators are called; look them up only on that rare path. */
typedef void (*new_handler_t)(void);

static void *new_failed(size_t size, size_t align, unsigned api, int nothrow, const void *frame)
{
	for (;;) {
		new_handler_t (*get)(void) =
			(new_handler_t(*)(void))dlsym(RTLD_DEFAULT, "_ZSt15get_new_handlerv");
		new_handler_t h = get ? get() : NULL;
		if (!h) {
			if (nothrow)
				return NULL;
			void (*thr)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "_ZSt17__throw_bad_allocv");
			if (thr)
				thr();
			abort();
		}
		h();
		void *p = hs_alloc_at(size, align, api, 0, frame);
		if (p)
			return p;
	}
}

static void *cxx_new(size_t size, size_t align, unsigned api, int nothrow, const void *frame)
{
	void *p = hs_alloc_at(size, align, api, 0, frame);
	return HS_LIKELY(p != NULL) ? p : new_failed(size, align, api, nothrow, frame);
}

/* A failed nothrow new must run the new-handler like the throwing one and
 * return NULL if the handler throws: only C++ can catch. libstdc++'s own
 * nothrow operator does exactly that around a call to the throwing
 * operator, which is ours: hand the failure to it. */
static void *cxx_new_nothrow(size_t size, size_t align, unsigned api, const char *libstdcxx_name,
			     const void *nt, const void *frame)
{
	void *p = hs_alloc_at(size, align, api, 0, frame);
	if (HS_LIKELY(p != NULL))
		return p;
	void *real = dlsym(RTLD_NEXT, libstdcxx_name);
	if (!real)
		return new_failed(size, align, api, 1, frame);
	if (api == HS_API_NEW_ALIGNED || api == HS_API_NEW_ARRAY_ALIGNED)
		return ((void *(*)(size_t, size_t, const void *))real)(size, align, nt);
	return ((void *(*)(size_t, const void *))real)(size, nt);
}

static size_t cxx_align(size_t align)
{
	return align < HS_MIN_ALIGN ? HS_MIN_ALIGN : align;
}

typedef struct { int unused; } nothrow_t; /* only its address is passed */

HS_EXPORT void *_Znwm(size_t n) { return cxx_new(n, HS_MIN_ALIGN, HS_API_NEW, 0, HS_CALLER); }
HS_EXPORT void *_Znam(size_t n) { return cxx_new(n, HS_MIN_ALIGN, HS_API_NEW_ARRAY, 0, HS_CALLER); }
HS_EXPORT void *_ZnwmRKSt9nothrow_t(size_t n, const nothrow_t *t)
{
	return cxx_new_nothrow(n, HS_MIN_ALIGN, HS_API_NEW, "_ZnwmRKSt9nothrow_t", t, HS_CALLER);
}
HS_EXPORT void *_ZnamRKSt9nothrow_t(size_t n, const nothrow_t *t)
{
	return cxx_new_nothrow(n, HS_MIN_ALIGN, HS_API_NEW_ARRAY, "_ZnamRKSt9nothrow_t", t, HS_CALLER);
}
HS_EXPORT void *_ZnwmSt11align_val_t(size_t n, size_t a)
{
	return cxx_new(n, cxx_align(a), HS_API_NEW_ALIGNED, 0, HS_CALLER);
}
HS_EXPORT void *_ZnamSt11align_val_t(size_t n, size_t a)
{
	return cxx_new(n, cxx_align(a), HS_API_NEW_ARRAY_ALIGNED, 0, HS_CALLER);
}
HS_EXPORT void *_ZnwmSt11align_val_tRKSt9nothrow_t(size_t n, size_t a, const nothrow_t *t)
{
	return cxx_new_nothrow(n, cxx_align(a), HS_API_NEW_ALIGNED, "_ZnwmSt11align_val_tRKSt9nothrow_t", t, HS_CALLER);
}
HS_EXPORT void *_ZnamSt11align_val_tRKSt9nothrow_t(size_t n, size_t a, const nothrow_t *t)
{
	return cxx_new_nothrow(n, cxx_align(a), HS_API_NEW_ARRAY_ALIGNED, "_ZnamSt11align_val_tRKSt9nothrow_t", t, HS_CALLER);
}

HS_EXPORT void _ZdlPv(void *p) { hs_free_at(p, HS_API_DELETE, HS_CALLER); }
HS_EXPORT void _ZdaPv(void *p) { hs_free_at(p, HS_API_DELETE_ARRAY, HS_CALLER); }
HS_EXPORT void _ZdlPvRKSt9nothrow_t(void *p, const nothrow_t *t)
{
	(void)t;
	hs_free_at(p, HS_API_DELETE, HS_CALLER);
}
HS_EXPORT void _ZdaPvRKSt9nothrow_t(void *p, const nothrow_t *t)
{
	(void)t;
	hs_free_at(p, HS_API_DELETE_ARRAY, HS_CALLER);
}
HS_EXPORT void _ZdlPvm(void *p, size_t n)
{
	(void)n;
	hs_free_at(p, HS_API_DELETE, HS_CALLER);
}
HS_EXPORT void _ZdaPvm(void *p, size_t n)
{
	(void)n;
	hs_free_at(p, HS_API_DELETE_ARRAY, HS_CALLER);
}
HS_EXPORT void _ZdlPvSt11align_val_t(void *p, size_t a)
{
	(void)a;
	hs_free_at(p, HS_API_DELETE_ALIGNED, HS_CALLER);
}
HS_EXPORT void _ZdaPvSt11align_val_t(void *p, size_t a)
{
	(void)a;
	hs_free_at(p, HS_API_DELETE_ARRAY_ALIGNED, HS_CALLER);
}
HS_EXPORT void _ZdlPvSt11align_val_tRKSt9nothrow_t(void *p, size_t a, const nothrow_t *t)
{
	(void)a;
	(void)t;
	hs_free_at(p, HS_API_DELETE_ALIGNED, HS_CALLER);
}
HS_EXPORT void _ZdaPvSt11align_val_tRKSt9nothrow_t(void *p, size_t a, const nothrow_t *t)
{
	(void)a;
	(void)t;
	hs_free_at(p, HS_API_DELETE_ARRAY_ALIGNED, HS_CALLER);
}
HS_EXPORT void _ZdlPvmSt11align_val_t(void *p, size_t n, size_t a)
{
	(void)n;
	(void)a;
	hs_free_at(p, HS_API_DELETE_ALIGNED, HS_CALLER);
}
HS_EXPORT void _ZdaPvmSt11align_val_t(void *p, size_t n, size_t a)
{
	(void)n;
	(void)a;
	hs_free_at(p, HS_API_DELETE_ARRAY_ALIGNED, HS_CALLER);
}
